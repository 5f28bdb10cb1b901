"""Caching of the published pages (ladders/caching.py): rendered fragments per version and
language, and conditional GET by weak ETag — and both invalidated by publishing."""

from __future__ import annotations

import os
import pickle
from decimal import Decimal

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from django.utils.translation import trans_real

from ladders import caching
from ladders.pay.services import pay_band_add, pay_settings_save
from ladders.people.services import person_save, placement_for
from notifications.models import Event
from notifications.services import notify
from roles.models import FrameworkVersion
from roles.services import draft_replace, version_publish
from tests.factories import PublishedFrameworkFactory, make_document
from tests.pages import CSRF_TOKEN, without_csrf_tokens

pytestmark = pytest.mark.django_db

POSITION = ("ladders:position-detail", {"role": "role-1", "level": "l2"})
PAGES = [
    ("ladders:framework-detail", {}, ""),
    ("ladders:role-detail", {"role": "role-1"}, ""),
    ("ladders:position-detail", {"role": "role-1", "level": "l2"}, ""),
    ("ladders:position-detail", {"role": "role-1", "level": "l2"}, "?sub_role=role-1.sub-1"),
    ("ladders:position-compare", {}, "?from=role-1.l1"),
    ("ladders:position-compare", {}, "?from=role-1.l1&to=role-2.l3&sub_role=role-1.sub-1"),
    ("ladders:path-map", {}, ""),
    ("ladders:path-map", {}, "?role=role-2"),
    ("ladders:search", {}, "?q=statement"),
    ("ladders:search", {}, ""),
]


def url(name: str, number: int | None = None, **kwargs: str) -> str:
    if number is not None:
        kwargs["number"] = number
    return reverse(name, kwargs={"slug": "design", **kwargs})


def position_url(number: int | None = None) -> str:
    return url(POSITION[0], number, **POSITION[1])


def queries(client, path: str, **headers: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, headers=headers)
    return len(ctx.captured_queries), response


def changed_document(text: str) -> dict:
    document = make_document(roles=2, levels=3, sub_roles=1)
    for expectation in document["expectations"]:
        if expectation["position"] == "role-1.l2":
            expectation["text"] = text
            break
    return document


@pytest.fixture
def framework(db):
    return PublishedFrameworkFactory(
        slug="design", name="Design", content=make_document(roles=2, levels=3, sub_roles=1)
    )


# --- a hit is the same page, for fewer queries ----------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES)
@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("actor", ["anonymous", "hr"])
def test_a_cache_hit_renders_exactly_what_a_miss_renders(
    client, framework, make_actor, name, kwargs, query, htmx, actor
):
    if actor != "anonymous":
        client.force_login(make_actor(actor, framework))
    path = url(name, **kwargs) + query
    headers = {"HX-Request": "true"} if htmx else {}
    client.get(path)  # the CSRF cookie, so that every response below embeds the same secret
    cache.clear()
    miss_queries, miss = queries(client, path, **headers)
    hit_queries, hit = queries(client, path, **headers)
    cache.clear()
    again = client.get(path, headers=headers)

    assert miss.status_code == hit.status_code == again.status_code == 200
    assert without_csrf_tokens(hit) == without_csrf_tokens(miss) == without_csrf_tokens(again)
    searches = name == "ladders:search" and query  # an empty search queries nothing anyway
    assert hit_queries < miss_queries if searches or name != "ladders:search" else True


def test_a_hit_on_the_position_page_skips_the_selectors(
    client, framework, django_assert_max_num_queries
):
    client.get(position_url())  # the fragments
    # the version (+framework): the statements, steps and criteria come from the cache
    with django_assert_max_num_queries(1):
        assert client.get(position_url()).status_code == 200
    # an older version adds the current one, for its banner
    draft_replace(framework=framework, document=changed_document("Changed."))
    version_publish(framework=framework)
    client.get(position_url(1))
    with django_assert_max_num_queries(2):
        assert client.get(position_url(1)).status_code == 200


def test_members_hits_cost_only_what_is_about_them(
    client, framework, make_actor, django_assert_max_num_queries
):
    client.force_login(make_actor("viewer"))
    miss, _response = queries(client, position_url())
    # session, user, profile, version (+framework), pay settings, groups, the navigation's
    # people check, unread count, the editor check (the ETag's, and the header's again)
    with django_assert_max_num_queries(10):
        assert client.get(position_url()).status_code == 200
    assert miss > 10


def test_anonymous_visitors_share_the_cached_page_each_with_their_own_csrf_token(
    framework, settings
):
    first, second = Client(), Client()
    first.get(position_url())  # renders and keeps the page
    second_queries, page = queries(second, position_url())

    assert second_queries == 1  # the version (+framework): the page came from the cache
    html = page.content.decode()
    assert caching.CSRF_PLACEHOLDER not in html
    secret = page.cookies[settings.CSRF_COOKIE_NAME].value
    tokens = CSRF_TOKEN.findall(html)
    assert len(tokens) == 2  # the htmx header and the footer's language form
    assert all(_unmask_cipher_token(token) == secret for _where, token in tokens)
    assert secret != first.cookies[settings.CSRF_COOKIE_NAME].value


def test_members_never_get_the_anonymous_page(client, framework, make_actor):
    client.get(position_url())
    client.force_login(make_actor("viewer"))
    for _ in range(2):
        assert "Signed in as" in client.get(position_url()).content.decode()
    assert "Signed in as" not in _cached_text()


# --- publishing -----------------------------------------------------------------------------------


def test_publishing_serves_the_new_version_at_the_unnumbered_url_and_flags_the_old_one(
    client, framework
):
    before = client.get(position_url()).content.decode()
    assert "Competency 1 statement 1 at Level 2." in before and "Not current" not in before
    for name, kwargs, query in PAGES:  # every fragment of v1 cached while it is current
        assert client.get(url(name, **kwargs) + query).status_code == 200

    draft_replace(framework=framework, document=changed_document("Mentors two designers."))
    version_publish(framework=framework)

    current = client.get(position_url()).content.decode()
    assert "Mentors two designers." in current
    assert "Competency 1 statement 1 at Level 2." not in current
    assert "Not current" not in current
    old = client.get(position_url(1)).content.decode()
    assert "Competency 1 statement 1 at Level 2." in old and "Mentors two designers." not in old
    assert "Not current" in old and 'href="/frameworks/design/">version 2</a>' in old
    # v1's links now stay within v1: its fragments were rendered again, not reused
    assert 'href="/frameworks/design/v1/roles/role-1/levels/l3/"' in old
    assert 'href="/frameworks/design/roles/role-1/levels/l3/"' not in old
    for name, kwargs, query in PAGES:
        page = client.get(url(name, 1, **kwargs) + query).content.decode()
        assert 'href="/frameworks/design/roles/' not in page, name


def test_a_stale_etag_gets_the_new_version(client, framework):
    first = client.get(position_url())
    draft_replace(framework=framework, document=changed_document("Mentors two designers."))
    version_publish(framework=framework)

    response = client.get(position_url(), headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 200
    assert "Mentors two designers." in response.content.decode()
    assert response["ETag"] != first["ETag"]
    # the old version's page changed too: it has the banner now
    old = client.get(position_url(1), headers={"If-None-Match": first["ETag"]})
    assert old.status_code == 200 and "Not current" in old.content.decode()


def test_the_old_versions_etag_changes_when_yet_another_version_is_published(client, framework):
    draft_replace(framework=framework, document=changed_document("Second."))
    version_publish(framework=framework)
    first = client.get(position_url(1))
    assert "version 2</a>" in first.content.decode()
    draft_replace(framework=framework, document=changed_document("Third."))
    version_publish(framework=framework)

    response = client.get(position_url(1), headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 200 and "version 3</a>" in response.content.decode()


# --- conditional GET ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES)
def test_an_unchanged_page_gets_304_without_rendering(
    client, framework, name, kwargs, query, django_assert_max_num_queries
):
    path = url(name, **kwargs) + query
    client.get(path)  # the CSRF cookie
    first = client.get(path)
    cache.clear()  # a 304 needs no fragment

    with django_assert_max_num_queries(1):  # the version (+framework)
        response = client.get(path, headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == first["ETag"] and first["ETag"].startswith('W/"')
    assert not cache._cache  # nothing was rendered (LocMemCache's store)


def test_read_pages_are_private_revalidated_and_vary_on_what_they_depend_on(client, framework):
    first = client.get(position_url())
    not_modified = client.get(position_url(), headers={"If-None-Match": first["ETag"]})
    version = FrameworkVersion.objects.get(framework=framework, number=1)

    for response in (first, not_modified):
        controls = {c.strip() for c in response["Cache-Control"].split(",")}
        assert controls == {"private", "no-cache"}
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert {"cookie", "accept-language", "hx-request"} <= vary
        assert response["Last-Modified"] == http_date(version.published_at.timestamp())


def test_if_modified_since_alone_never_gets_304(client, framework):
    first = client.get(position_url())
    response = client.get(position_url(), headers={"If-Modified-Since": first["Last-Modified"]})
    assert response.status_code == 200


def test_no_304_across_users(client, framework, make_actor):
    viewer, lead = make_actor("viewer"), make_actor("lead")
    anonymous_etag = client.get(position_url())["ETag"]
    client.force_login(viewer)
    viewer_etag = client.get(position_url())["ETag"]
    assert client.get(position_url(), headers={"If-None-Match": anonymous_etag}).status_code == 200
    client.force_login(lead)

    response = client.get(position_url(), headers={"If-None-Match": viewer_etag})

    assert response.status_code == 200 and response["ETag"] != viewer_etag
    assert "Signed in as" in response.content.decode()


@pytest.mark.parametrize(
    "change",
    ["notification", "language", "htmx", "query", "csrf", "editor", "hr", "name", "release"],
)
def test_the_etag_changes_with_what_the_page_shows(client, framework, make_actor, settings, change):
    viewer = make_actor("viewer")
    client.force_login(viewer)
    first = client.get(position_url())
    path, headers = position_url(), {"If-None-Match": first["ETag"]}
    if change == "notification":
        notify(Event.REPLY, [viewer], title="A reply", url="/")
    elif change == "language":
        headers["Accept-Language"] = "nl"
    elif change == "htmx":
        headers["HX-Request"] = "true"
    elif change == "query":
        path += "?sub_role=role-1.sub-1"
    elif change == "csrf":
        client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    elif change == "editor":
        framework.editors.add(viewer)
    elif change == "hr":
        viewer.groups.create(name="HR")
    elif change == "name":
        framework.name = "Design team"
        framework.save()
    elif change == "release":
        settings.CAREERFRAME_RELEASE = "next"

    response = client.get(path, headers=headers)

    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    if change == "notification":
        assert 'badge rounded-pill text-bg-warning">1<' in response.content.decode()
    if change == "name":
        assert "Design team" in response.content.decode()


def test_pending_messages_are_never_answered_304(client, framework):
    first = client.get(position_url())
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "Welcome back.")])

    response = client.get(position_url(), headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 200 and "Welcome back." in response.content.decode()
    assert "ETag" not in response


# --- languages ------------------------------------------------------------------------------------


@pytest.fixture
def dutch_grid_heading():
    """A Dutch translation of the grid's heading (the catalog may not have one yet)."""
    catalog = trans_real.translation("nl")._catalog
    previous = catalog.get("Roles and levels")
    catalog["Roles and levels"] = "Rollen en niveaus"
    yield
    if previous is None:
        catalog._catalogs[0].pop("Roles and levels", None)
    else:
        catalog["Roles and levels"] = previous


def test_fragments_are_kept_per_language(client, framework, dutch_grid_heading):
    version = FrameworkVersion.objects.get(framework=framework, number=1)
    keys = set()
    for language in ("en-gb", "nl"):
        with translation.override(language):
            keys.add(caching.fragment_key("framework", version))
    assert len(keys) == 2

    for _ in range(2):  # a miss, then a hit, in each language
        english = client.get(url("ladders:framework-detail"), headers={"Accept-Language": "en"})
        dutch = client.get(url("ladders:framework-detail"), headers={"Accept-Language": "nl"})
        assert "Roles and levels" in english.content.decode()
        assert "Rollen en niveaus" not in english.content.decode()
        assert "Rollen en niveaus" in dutch.content.decode()
        assert '<html lang="nl">' in dutch.content.decode()
        assert english["ETag"] != dutch["ETag"]


def test_the_release_is_part_of_every_key(framework, settings):
    version = FrameworkVersion.objects.get(framework=framework, number=1)
    before = caching.fragment_key("position", version, role="role-1")
    settings.CAREERFRAME_RELEASE = "2.0"
    assert caching.fragment_key("position", version, role="role-1") != before
    assert caching.fragment_key("position", version, role="role-2") != before


def test_with_debug_on_an_edited_template_changes_the_release(settings, tmp_path, monkeypatch):
    template = tmp_path / "page.html"
    template.write_text("one")
    monkeypatch.setattr(caching, "_release_files", lambda: iter([("page.html", template)]))
    settings.DEBUG = True
    before = caching.release()
    assert caching.release() == before
    template.write_text("two")
    os.utime(template, ns=(1, 1))  # whatever the clock's resolution

    assert caching.release() != before


def test_nothing_is_cached_when_fragment_seconds_is_zero(client, framework, settings):
    settings.CAREERFRAME_FRAGMENT_SECONDS = 0
    client.get(position_url())
    assert client.get(position_url()).status_code == 200
    assert not cache._cache  # LocMemCache's store


# --- pay ------------------------------------------------------------------------------------------

AMOUNTS = ("61,111", "63,333", "65,555")


@pytest.fixture
def pay(framework, make_actor):
    """Pay bands on and shown to people; a band at role-1.l2, the position page's; Vic (the
    viewer) at role-1.l1, so role-1.l2 is their next level; another member with no person."""
    hr = make_actor("hr")
    viewer = make_actor("viewer")
    person_save(
        user=None,
        placement=placement_for(framework=framework, role="role-1", level="l1"),
        name="Vic Viewer",
        login=viewer,
    )
    pay_settings_save(user=hr, framework=framework, enabled=True, visible_to_people=True)
    placement = placement_for(framework=framework, role="role-1", level="l2")
    pay_band_add(
        user=hr,
        framework=framework,
        position=placement.position,
        sub_role=placement.sub_role,
        region="",
        currency="EUR",
        minimum=Decimal("61111"),
        midpoint=Decimal("63333"),
        maximum=Decimal("65555"),
        effective_on=timezone.localdate(),
    )
    return {"hr": hr, "viewer": viewer, "stranger": make_actor("stakeholder")}


def _cached_text() -> str:
    """Everything in the cache, unpickled, as text."""
    return "".join(repr(pickle.loads(value)) for value in cache._cache.values())


@pytest.mark.parametrize("first", ["hr", "stranger", "anonymous"])
def test_hr_sees_pay_on_a_cached_page_and_nobody_else_does(client, pay, first):
    order = [first] + [actor for actor in ("hr", "stranger", "anonymous") if actor != first]
    pages = {}
    for actor in order:
        client.logout()
        if actor != "anonymous":
            client.force_login(pay[actor])
        pages[actor] = client.get(position_url()).content.decode()
        assert "Level 2 Role 1" in pages[actor]

    assert all(amount in pages["hr"] for amount in AMOUNTS)
    for actor in ("stranger", "anonymous"):
        assert not any(amount in pages[actor] for amount in AMOUNTS)
        assert 'id="pay' not in pages[actor]
    cached = _cached_text()
    assert "Level 2 Role 1" in cached  # the fragments are there…
    assert not any(a in cached or a.replace(",", "") in cached for a in AMOUNTS)  # …pay is not


def test_a_person_sees_their_next_band_on_the_cached_page(client, pay):
    client.force_login(pay["stranger"])
    client.get(position_url())  # the fragments
    client.force_login(pay["viewer"])
    html = client.get(position_url()).content.decode()
    assert all(amount in html for amount in AMOUNTS) and "Your next level" in html


def test_a_new_pay_band_changes_the_etag(client, pay, framework):
    client.force_login(pay["hr"])
    first = client.get(position_url())
    placement = placement_for(framework=framework, role="role-1", level="l2")
    pay_band_add(
        user=pay["hr"],
        framework=framework,
        position=placement.position,
        sub_role=placement.sub_role,
        region="London",
        currency="GBP",
        minimum=Decimal("71111"),
        midpoint=Decimal("73333"),
        maximum=Decimal("75555"),
        effective_on=timezone.localdate(),
    )

    response = client.get(position_url(), headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 200 and "73,333" in response.content.decode()
