from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People's own settings: language and time zone (the lowest layer)."""

    name = "accounts"
    verbose_name = "Accounts"
