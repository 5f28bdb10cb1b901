"""Read shapes of the notifications pages."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from notifications.events import event_types
from notifications.models import Notification, NotificationQuerySet, Preference

BADGE_LIMIT = 100


def notification_list(user: AbstractBaseUser) -> NotificationQuerySet:
    """``user``'s notifications, newest first (the page needs no related rows)."""
    return Notification.objects.for_user(user).only(
        "pk", "event", "title", "body", "url", "created_at", "read_at"
    )


def unread_count(user: AbstractBaseUser) -> int:
    """Unread notifications of ``user``, counted up to ``BADGE_LIMIT`` (one query)."""
    return Notification.objects.for_user(user).unread()[:BADGE_LIMIT].count()


def preferences_for(user: AbstractBaseUser) -> dict[str, str]:
    """Every event's delivery for ``user``: their choice, else the event's default."""
    chosen = dict(Preference.objects.filter(user=user).values_list("event", "delivery"))
    return {t.key: chosen.get(t.key, t.default.value) for t in event_types()}
