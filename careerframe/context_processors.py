"""Template context every page needs (the site shell's navigation)."""

from __future__ import annotations

from django.http import HttpRequest

from ladders.people.access import can_list_people


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {"nav_people": bool(user is not None and can_list_people(user))}
