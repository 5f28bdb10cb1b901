"""A person's own settings: the interface language and their time zone."""

import zoneinfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")
    return [(name, name.replace("_", " ")) for name in names]


class Profile(models.Model):
    """Created on first save of someone's settings; absent means "the installation's defaults"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of pages and emails. Framework content is not translated."),
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Dates and times are shown in this time zone."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user}"
