"""Login throttling (django-axes): repeated wrong passwords pause one username from one address.

The pause answers 429 with a page that says what happened, even to the right password; a
good login before the limit resets the count; another address, or another username, is not
affected, so nobody can lock a colleague out from elsewhere.
"""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

LOGIN = "/login/"


@pytest.fixture
def user(db):
    return UserFactory(username="dana")


def _try(client, password: str, *, username: str = "dana", ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_the_limit_pauses_the_username_from_that_address(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _try(client, "wrong")
        assert response.status_code == 200  # the form again, with its error
        assert response.context["form"].errors
    locked = _try(client, "wrong")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    # Even the right password is refused while paused, and nobody is logged in.
    response = _try(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_other_addresses_and_other_usernames_are_not_affected(client, user, settings):
    UserFactory(username="eli")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "wrong")
    assert _try(client, PASSWORD, ip="10.0.0.2").status_code == 302  # from elsewhere
    client.logout()
    assert _try(client, PASSWORD, username="eli").status_code == 302  # a colleague


def test_a_good_login_resets_the_count(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, "wrong")
    assert _try(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, "wrong").status_code == 200
    assert _try(client, PASSWORD).status_code == 302


def test_the_pause_ends_after_the_cool_off(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "wrong")
    assert _try(client, PASSWORD).status_code == 429
    # The cool-off passes: the failures recorded are that much older.
    passed = settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - passed)
    assert _try(client, PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client, user, settings):
    """The admin's login page sends people to ours (sso.views), so it shares the limit."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "wrong")
    response = client.post(
        reverse("admin:login"), {"username": "dana", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code in (302, 429)
    assert "_auth_user_id" not in client.session
