"""accounts.backends.ModelBackend: a session's user comes with their profile, in one query."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.backends import ModelBackend
from accounts.locale import chosen_language, timezone_for
from accounts.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("with_profile", [True, False])
def test_the_user_and_their_profile_are_one_query(with_profile, django_assert_num_queries):
    user = UserFactory()
    if with_profile:
        Profile.objects.create(user=user, language="nl", timezone="Asia/Tokyo")
    with django_assert_num_queries(1):
        loaded = ModelBackend().get_user(user.pk)
        language = chosen_language(loaded)
        zone = timezone_for(loaded).key
    assert (language, zone) == (("nl", "Asia/Tokyo") if with_profile else ("", settings.TIME_ZONE))


def test_inactive_and_unknown_users_have_no_session():
    assert ModelBackend().get_user(UserFactory(is_active=False).pk) is None
    assert ModelBackend().get_user(987654) is None


def test_password_logins_use_it_and_pages_read_the_chosen_language():
    user = UserFactory(username="vic")
    user.set_password("a long passphrase")
    user.save()
    Profile.objects.create(user=user, language="nl")
    assert "accounts.backends.ModelBackend" in settings.AUTHENTICATION_BACKENDS
    client = Client()
    response = client.post(
        reverse("login"), {"username": "vic", "password": "a long passphrase"}, follow=True
    )
    assert response.wsgi_request.session["_auth_user_backend"] == "accounts.backends.ModelBackend"
    assert response.wsgi_request.LANGUAGE_CODE == "nl"
