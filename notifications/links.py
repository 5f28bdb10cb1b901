"""Whether a notification's link still opens for its recipient.

A notification is made for people who may open its page at that moment (the callers decide).
Access can be taken away before a later delivery — an editor removed from a framework, a
reviewer's seat given up — so the daily digest asks again when it is sent, and leaves out
what no longer opens (its title would say more than the person may now see).

The notifications app knows nothing of frameworks, reviews or assessments (it sits below
them), so the apps whose pages notifications link to register, for each URL name, the same
access helper the page itself uses (``register``, from their ``AppConfig.ready``). A link
to a URL name without a registered check counts as opening; every URL name the apps notify
with has one (tests/notifications/test_fanout.py).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404
from django.urls import Resolver404, resolve

# URL name ("reviews:round-detail") -> the page's own access helper, called with the user and
# the URL's arguments; it raises Http404 when the user may not open the page.
_CHECKS: dict[str, Callable[..., object]] = {}


def register(url_name: str, check: Callable[..., object]) -> None:
    _CHECKS[url_name] = check


def registered() -> frozenset[str]:
    return frozenset(_CHECKS)


def still_opens(user: AbstractBaseUser, url: str) -> bool:
    """False when the access check of the page ``url`` (a path on this site) refuses
    ``user`` now; True otherwise, also for a path with nothing to check."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return True  # no page of ours: nothing it could reveal
    check = _CHECKS.get(match.view_name)
    if check is None:
        return True
    try:
        check(user, **match.kwargs)
    except Http404:
        return False
    return True
