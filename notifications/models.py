"""In-app notifications, people's delivery preferences, and the record of daily digests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.events import Delivery, Event


class EmailState(models.TextChoices):
    """What happened to a notification's email."""

    DIGEST = "digest", _("waiting for the daily digest")
    EMAILED = "emailed", _("emailed")
    NOT_EMAILED = "not_emailed", _("not emailed")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def waiting_for_digest(self) -> NotificationQuerySet:
        return self.filter(email_state=EmailState.DIGEST)


class DigestRun(models.Model):
    """One user's digest of one day: its row is the claim that makes ``send_digests`` send
    at most one digest per user and day, however often or concurrently it runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_runs"
    )
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="notifications_digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"


class Notification(models.Model):
    """Something that happened, for one person: shown in their list, emailed per preference.

    Title and body are plain text written in the recipient's language when it was made;
    ``url`` is a path on this site (never another host)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=40, choices=Event.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=20, choices=EmailState.choices, default=EmailState.NOT_EMAILED
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        DigestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notifications_by_recipient"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notifications_unread",
            ),
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(email_state="digest"),
                name="notifications_for_digest",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="/") & ~Q(url__startswith="//"),
                name="notifications_url_is_a_path",
            ),
            models.CheckConstraint(
                condition=Q(email_state__in=EmailState.values),
                name="notifications_email_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """How one person wants one event type delivered; no row means the event's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=40, choices=Event.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notifications_preference_once"),
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values),
                name="notifications_preference_delivery_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.event} {self.delivery}"
