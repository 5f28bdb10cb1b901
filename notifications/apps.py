from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Events to in-app notifications and email, per-user preferences, daily digests."""

    name = "notifications"
    verbose_name = "Notifications"
