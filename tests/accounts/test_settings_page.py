"""The "Your settings" page: who may open it, what saving does, bad input."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Profile
from reviews.models import Revision
from tests.conftest import ACTORS
from tests.factories import PublishedFrameworkFactory, UserFactory
from tests.reviews.factories import save_revision

URL = "/account/settings/"
LOGGED_IN = [actor for actor in ACTORS if actor != "anonymous"]


def test_the_settings_page_has_its_address():
    assert reverse("accounts:settings") == URL


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"
    assert client.post(URL, {"language": "nl", "timezone": ""}).status_code == 302
    assert not Profile.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", LOGGED_IN)
def test_every_member_sees_only_their_own_settings(client, make_actor, actor):
    other = UserFactory(username="someone-else")
    Profile.objects.create(user=other, language="nl", timezone="Asia/Tokyo")
    user = make_actor(actor)
    Profile.objects.create(user=user, language="", timezone="America/Lima")
    client.force_login(user)

    response = client.get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.instance.user == user
    assert form["timezone"].value() == "America/Lima"
    html = response.content.decode()
    assert '<option value="America/Lima" selected>' in html
    assert '<option value="Asia/Tokyo" selected>' not in html
    assert '<html lang="en-gb">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("actor", LOGGED_IN)
def test_saving_changes_only_your_own_profile(client, make_actor, actor):
    other = UserFactory(username="someone-else")
    Profile.objects.create(user=other, language="en-gb", timezone="Asia/Tokyo")
    user = make_actor(actor)
    client.force_login(user)

    response = client.post(URL, {"language": "nl", "timezone": "Europe/Amsterdam"})

    assert response.status_code == 302 and response.url == URL
    assert Profile.objects.get(user=user).timezone == "Europe/Amsterdam"
    other_profile = Profile.objects.get(user=other)
    assert (other_profile.language, other_profile.timezone) == ("en-gb", "Asia/Tokyo")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(client, viewer, method):
    client.force_login(viewer)
    assert getattr(client, method)(URL).status_code == 405


@pytest.mark.django_db
def test_the_page_offers_both_languages_the_browser_default_and_the_zones(client, viewer):
    client.force_login(viewer)
    html = client.get(URL).content.decode()
    assert 'for="id_language" class="form-label"' in html  # labelled selects
    assert 'for="id_timezone" class="form-label"' in html
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count('name="csrfmiddlewaretoken"') == 1
    assert ">Same as my browser</option>" in html
    assert '<option value="en-gb">English</option>' in html
    assert '<option value="nl">Nederlands</option>' in html
    assert '<option value="Europe/Amsterdam">Europe/Amsterdam</option>' in html
    assert "The installation&#x27;s default (UTC)" in html


@pytest.mark.django_db
def test_the_page_links_to_the_notification_preferences(client, viewer):
    from django.urls import NoReverseMatch

    client.force_login(viewer)
    html = client.get(URL).content.decode()
    try:
        preferences = reverse("notifications:preferences")
    except NoReverseMatch:  # the notifications pages land separately
        assert "Notification preferences" not in html
    else:
        assert f'<a href="{preferences}">Notification preferences</a>' in html


@pytest.mark.django_db
def test_the_header_links_members_to_their_settings(client, viewer):
    assert f'href="{URL}"' not in client.get("/").content.decode()
    client.force_login(viewer)
    assert f'href="{URL}"' in client.get("/").content.decode()


# --- language -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_choosing_dutch_makes_the_next_pages_dutch(client, viewer):
    client.force_login(viewer)

    response = client.post(URL, {"language": "nl", "timezone": ""}, follow=True)

    assert Profile.objects.get(user=viewer).language == "nl"
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Je instellingen zijn opgeslagen." in html  # the confirmation, already in Dutch
    assert '<h1 class="h3">Je instellingen</h1>' in html
    home = client.get("/")
    assert home["Content-Language"] == "nl"
    assert ">Uitloggen</button>" in home.content.decode()  # base.html's navigation
    assert '<html lang="nl">' in home.content.decode()
    assert f'href="{URL}"><i class="bi bi-gear" aria-hidden="true"></i> Instellingen</a>' in (
        home.content.decode()
    )


@pytest.mark.django_db
def test_the_chosen_language_beats_the_browser_language(client, viewer):
    Profile.objects.create(user=viewer, language="en-gb")
    client.force_login(viewer)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response["Content-Language"] == "en-gb"
    assert '<html lang="en-gb">' in response.content.decode()


@pytest.mark.django_db
def test_saving_sets_the_language_cookie_so_the_choice_outlasts_the_session(client, viewer):
    client.force_login(viewer)

    response = client.post(URL, {"language": "nl", "timezone": ""})

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "nl"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE  # not just this browser session
    client.post(reverse("logout"))
    assert '<html lang="nl">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_same_as_my_browser_forgets_the_language_cookie(client, viewer):
    client.force_login(viewer)
    client.post(URL, {"language": "nl", "timezone": ""})

    response = client.post(URL, {"language": "", "timezone": ""}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    assert Profile.objects.get(user=viewer).language == ""
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en-gb">' in page.content.decode()
    assert "Your settings are saved." in page.content.decode()
    assert '<html lang="nl">' in client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_is_a_form_error(client, viewer):
    client.force_login(viewer)
    response = client.post(URL, {"language": "fr", "timezone": ""})
    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    assert not Profile.objects.exists()


# --- time zone -------------------------------------------------------------------------------

SAVED_AT = datetime.datetime(2024, 3, 10, 23, 30, tzinfo=datetime.UTC)


@pytest.fixture
def revision_list(db, make_actor):
    """An editor's revision list, showing one revision saved at ``SAVED_AT``."""
    author = make_actor("author")
    framework = PublishedFrameworkFactory(editors=[author])
    revision = save_revision(framework, author, "Saved late at night")
    Revision.objects.filter(pk=revision.pk).update(created_at=SAVED_AT)
    return author, reverse("reviews:revision-list", kwargs={"slug": framework.slug})


def test_times_are_shown_in_the_installation_zone_by_default(client, revision_list):
    author, url = revision_list
    client.force_login(author)
    html = client.get(url).content.decode()
    assert '<time datetime="2024-03-10T23:30:00+00:00">10 Mar 2024, 23:30</time>' in html


def test_a_saved_time_zone_shows_times_in_that_zone(client, revision_list):
    author, url = revision_list
    client.force_login(author)

    client.post(URL, {"language": "", "timezone": "Asia/Tokyo"})

    assert Profile.objects.get(user=author).timezone == "Asia/Tokyo"
    html = client.get(url).content.decode()
    assert '<time datetime="2024-03-11T08:30:00+09:00">11 Mar 2024, 08:30</time>' in html
    assert "in your time zone (Asia/Tokyo)" in client.get(URL).content.decode()


def test_dutch_and_a_time_zone_together(client, revision_list):
    author, url = revision_list
    client.force_login(author)
    client.post(URL, {"language": "nl", "timezone": "America/New_York"})
    html = client.get(url).content.decode()
    assert "10 Mrt 2024, 19:30" in html  # EDT began that morning: UTC-4


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "EST5EDT; DROP TABLE", "../../etc/passwd"])
def test_an_unknown_time_zone_is_a_form_error(client, viewer, zone):
    Profile.objects.create(user=viewer, timezone="Europe/Amsterdam")
    client.force_login(viewer)

    response = client.post(URL, {"language": "", "timezone": zone})

    assert response.status_code == 200
    assert "timezone" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode() or "is-invalid" in (
        response.content.decode()
    )
    assert Profile.objects.get(user=viewer).timezone == "Europe/Amsterdam"


@pytest.mark.django_db
def test_a_missing_field_is_the_installation_default_not_an_error(client, viewer):
    client.force_login(viewer)
    response = client.post(URL, {})
    assert response.status_code == 302
    profile = Profile.objects.get(user=viewer)
    assert (profile.language, profile.timezone) == ("", "")
