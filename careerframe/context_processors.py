"""Template context every page needs (the site shell's navigation)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ladders.people.access import can_list_people
from reviews.assessments.access import can_list as can_list_assessments


def navigation(request: HttpRequest) -> dict:
    """Which sections the user may open. Lazy: evaluated only when a template asks, at most
    one query each (the group lookup is cached on the user)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_people": False, "nav_assessments": False}
    return {
        "nav_people": SimpleLazyObject(lambda: can_list_people(user)),
        "nav_assessments": SimpleLazyObject(lambda: can_list_assessments(user)),
    }
