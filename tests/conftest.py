"""Shared fixtures: user personas for the access matrix (STYLE.md section 8)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches

from roles.access import HR_GROUP, LEADS_GROUP
from tests.browser_fixtures import browser, page  # noqa: F401 - shared by every browser test
from tests.factories import UserFactory

ACTORS = ["anonymous", "viewer", "author", "stakeholder", "lead", "hr", "admin"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Templates can reference built assets without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: rendered fragments are keyed by primary keys,
    which a rolled-back test database hands out again."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_actor(db):
    """Returns a function building the user for an actor name from ``ACTORS``.

    ``author`` is made an editor of ``framework`` when one is given.
    """

    def make(actor: str, framework=None):
        if actor == "anonymous":
            return AnonymousUser()
        if actor == "admin":
            return UserFactory(username="admin", is_staff=True, is_superuser=True)
        groups = {"hr": [HR_GROUP], "lead": [LEADS_GROUP]}.get(actor, [])
        user = UserFactory(username=actor, groups=groups)
        if actor == "author" and framework is not None:
            framework.editors.add(user)
        return user

    return make


@pytest.fixture
def viewer(db):
    return UserFactory(username="viewer")


@pytest.fixture
def hr_user(db):
    return UserFactory(username="hr", groups=[HR_GROUP])
