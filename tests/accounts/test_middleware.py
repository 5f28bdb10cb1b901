"""UserLocaleMiddleware: the logged-in user's language and time zone, cheaply."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation

from accounts.locale import language_for, timezone_for
from accounts.middleware import UserLocaleMiddleware
from accounts.models import Profile


def _seen(request: HttpRequest) -> HttpResponse:
    """A view reporting the language and zone it ran in."""
    return HttpResponse(f"{translation.get_language()} {timezone.get_current_timezone_name()}")


def _run(user, language: str = "en-gb") -> tuple[HttpRequest, HttpResponse]:
    """The request as LocaleMiddleware and AuthenticationMiddleware leave it."""
    request = RequestFactory().get("/")
    request.user = user
    request.LANGUAGE_CODE = language
    with translation.override(language):
        response = UserLocaleMiddleware(_seen)(request)
    return request, response


def test_middleware_sits_after_the_user_and_the_browser_language():
    order = settings.MIDDLEWARE
    mine = order.index("accounts.middleware.UserLocaleMiddleware")
    assert order.index("django.contrib.auth.middleware.AuthenticationMiddleware") < mine
    assert order.index("django.middleware.locale.LocaleMiddleware") < mine


@pytest.mark.django_db
def test_anonymous_visitors_cost_no_query_and_get_the_installation_zone(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        request, response = _run(AnonymousUser(), language="nl")
    assert response.content.decode() == f"nl {settings.TIME_ZONE}"
    assert request.LANGUAGE_CODE == "nl"


@pytest.mark.django_db
def test_a_member_costs_one_query_and_their_choices_are_cached(viewer, django_assert_num_queries):
    Profile.objects.create(user=viewer, language="nl", timezone="Asia/Tokyo")
    user = User.objects.get(pk=viewer.pk)  # as AuthenticationMiddleware loads it
    with django_assert_num_queries(1):
        request, response = _run(user)
        # Later callers in the same request (emails, views) reuse the loaded profile.
        assert language_for(request.user) == "nl"
        assert timezone_for(request.user).key == "Asia/Tokyo"
    assert response.content.decode() == "nl Asia/Tokyo"
    assert request.LANGUAGE_CODE == "nl"


@pytest.mark.django_db
def test_a_member_without_a_profile_costs_one_query_and_keeps_the_browser_language(
    viewer, django_assert_num_queries
):
    with django_assert_num_queries(1):
        request, response = _run(viewer, language="nl")
        timezone_for(request.user)
    assert response.content.decode() == f"nl {settings.TIME_ZONE}"


@pytest.mark.django_db
def test_a_blank_language_follows_the_browser(viewer):
    Profile.objects.create(user=viewer, language="", timezone="Europe/Amsterdam")
    request, response = _run(viewer, language="nl")
    assert response.content.decode() == "nl Europe/Amsterdam"
    assert request.LANGUAGE_CODE == "nl"


@pytest.mark.django_db
def test_a_language_no_longer_offered_and_a_bad_zone_fall_back(viewer):
    Profile.objects.create(user=viewer, language="fr", timezone="Nowhere/Special")
    request, response = _run(viewer, language="nl")
    assert response.content.decode() == f"nl {settings.TIME_ZONE}"


@pytest.mark.django_db
def test_one_users_zone_does_not_leak_into_the_next_request(viewer):
    Profile.objects.create(user=viewer, timezone="Pacific/Auckland")
    _, first = _run(viewer)
    _, second = _run(AnonymousUser())
    assert first.content.decode().endswith("Pacific/Auckland")
    assert second.content.decode().endswith(settings.TIME_ZONE)


@pytest.mark.django_db
def test_responses_say_their_language_and_what_they_vary_on(client, viewer):
    Profile.objects.create(user=viewer, language="nl")
    client.force_login(viewer)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "nl"
    vary = {item.strip().lower() for item in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary


@pytest.mark.django_db
def test_anonymous_responses_vary_on_the_language_cookie_too(client):
    response = client.get("/")
    assert response["Content-Language"] == "en-gb"
    vary = {item.strip().lower() for item in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary
