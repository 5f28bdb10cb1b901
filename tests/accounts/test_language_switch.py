"""Visitors switch the language in the footer (no JavaScript); dates follow the language."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from roles.models import FrameworkVersion
from tests.factories import PublishedFrameworkFactory

SETLANG = "/i18n/setlang/"


def test_the_switch_posts_to_djangos_set_language_view():
    assert reverse("set_language") == SETLANG


@pytest.mark.django_db
def test_visitors_get_a_labelled_language_switch_in_the_footer(client):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert '<form class="d-flex flex-wrap align-items-center gap-2 mt-2" method="post" ' in footer
    assert f'action="{SETLANG}">' in footer
    assert '<label class="form-label mb-0" for="language-switch">Language</label>' in footer
    assert '<select class="form-select form-select-sm w-auto" id="language-switch"' in footer
    assert '<option value="en-gb" lang="en-gb" selected>English</option>' in footer
    assert '<option value="nl" lang="nl">Nederlands</option>' in footer
    assert '<input type="hidden" name="next" value="/">' in footer
    assert '<button class="btn btn-sm btn-outline-secondary" type="submit">' in footer


@pytest.mark.django_db
def test_members_choose_on_their_settings_page_instead(client, viewer):
    client.force_login(viewer)
    assert 'id="language-switch"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_switching_to_dutch_sets_the_cookie_and_returns_to_the_page(client):
    framework = PublishedFrameworkFactory()
    page = reverse("ladders:framework-detail", kwargs={"slug": framework.slug})

    response = client.post(SETLANG, {"language": "nl", "next": page})

    assert response.status_code == 302 and response.url == page
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == (
        settings.LANGUAGE_COOKIE_AGE
    )
    after = client.get(page)
    assert after["Content-Language"] == "nl"
    html = after.content.decode()
    assert '<html lang="nl">' in html
    assert '<option value="nl" lang="nl" selected>Nederlands</option>' in html
    assert "Taal wijzigen" in html


@pytest.mark.django_db
def test_switching_back_to_english(client):
    client.post(SETLANG, {"language": "nl", "next": "/"})
    client.post(SETLANG, {"language": "en-gb", "next": "/"})
    assert '<html lang="en-gb">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_or_a_foreign_next_changes_nothing_harmful(client):
    response = client.post(SETLANG, {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert not response.url.startswith("https://evil.example")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="en-gb">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_browser_language_is_used_without_a_cookie(client):
    assert '<html lang="nl">' in client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<html lang="en-gb">' in client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()


# --- localised dates ---------------------------------------------------------------------


@pytest.mark.django_db
def test_dates_use_dutch_month_names_in_dutch(client):
    framework = PublishedFrameworkFactory()
    FrameworkVersion.objects.filter(framework=framework, number=1).update(
        published_at=datetime.datetime(2024, 3, 10, 12, 0, tzinfo=datetime.UTC)
    )
    page = reverse("ladders:framework-detail", kwargs={"slug": framework.slug})

    english = client.get(page).content.decode()
    dutch = client.get(page, HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "10 March 2024" in english and "10 Mar 2024" in english
    # Dutch writes the month out in its own date format (DATE_FORMAT "j F Y").
    assert "10 maart 2024" in dutch and "Mrt" not in dutch
    assert "March" not in dutch
