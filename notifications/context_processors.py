"""The unread count in the site header."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.selectors import BADGE_LIMIT, unread_count


def _badge(count: int) -> str:
    """ "" for none, the number, or "99+" past the limit."""
    if count >= BADGE_LIMIT:
        return f"{BADGE_LIMIT - 1}+"
    return str(count) if count else ""


def unread(request: HttpRequest) -> dict:
    """``notifications_unread``, the header badge's text for logged-in users. Lazy: one
    cheap query, only on pages that show the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: _badge(unread_count(user)))}
