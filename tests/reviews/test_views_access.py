"""Who may reach each review page and action (DESIGN.md section 6), as a table.

Anonymous visitors are sent to log in, whether or not the object exists. Editors (and
admins) reach everything. The stakeholder reviews the open round: they read it, its
revisions up to the one under review, diffs between those, and they comment and decide.
Everyone else — a plain member, a lead, HR — gets 404, never 403.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from reviews.models import StakeholderGroup
from reviews.services import revision_save, round_open
from roles.services import draft_replace
from tests.conftest import ACTORS
from tests.factories import PublishedFrameworkFactory, make_document

OK, GONE, LOGIN = 200, 404, "login"
REDIRECT = 302

EDITOR_ONLY = {"anonymous": LOGIN, "author": OK, "admin": OK}
REVIEWER_TOO = {**EDITOR_ONLY, "stakeholder": OK}


def expected(table: dict[str, object], actor: str) -> object:
    return table.get(actor, GONE)


# (url name, kwargs beyond slug, query string, method, POST data, who gets what)
CASES = [
    ("revision-list", {}, "", "get", None, EDITOR_ONLY),
    (
        "revision-list",
        {},
        "",
        "post",
        {"summary": "x"},
        {**EDITOR_ONLY, "author": REDIRECT, "admin": REDIRECT},
    ),
    ("revision-detail", {"number": 1}, "", "get", None, REVIEWER_TOO),
    ("revision-detail", {"number": 2}, "", "get", None, EDITOR_ONLY),  # newer than the round
    (
        "revision-restore",
        {"number": 1},
        "",
        "post",
        {},
        {**EDITOR_ONLY, "author": REDIRECT, "admin": REDIRECT},
    ),
    ("revision-diff", {}, "?from=v1&to=r1", "get", None, REVIEWER_TOO),
    ("revision-diff", {}, "?from=r1&to=draft", "get", None, EDITOR_ONLY),
    ("revision-diff", {}, "?from=r1&to=r2", "get", None, EDITOR_ONLY),
    ("revision-diff-json", {}, "?from=v1&to=r1", "get", None, REVIEWER_TOO),
    ("round-list", {}, "", "get", None, REVIEWER_TOO),
    ("round-create", {}, "", "get", None, EDITOR_ONLY),
    ("round-detail", {"pk": "round"}, "", "get", None, REVIEWER_TOO),
    (
        "decision-create",
        {"pk": "round"},
        "",
        "post",
        {"verdict": "approve"},
        {**EDITOR_ONLY, "author": REDIRECT, "admin": REDIRECT, "stakeholder": REDIRECT},
    ),
    (
        "comment-create",
        {"pk": "round"},
        "",
        "post",
        {"body": "Hm."},
        {**EDITOR_ONLY, "author": REDIRECT, "admin": REDIRECT, "stakeholder": REDIRECT},
    ),
    (
        "reviewer-delegate",
        {"pk": "round"},
        "",
        "post",
        {"delegate": ""},
        {**EDITOR_ONLY, "author": REDIRECT, "admin": REDIRECT, "stakeholder": REDIRECT},
    ),
    (
        "round-advance",
        {"pk": "round"},
        "",
        "post",
        {},
        {**EDITOR_ONLY, "author": REDIRECT, "admin": REDIRECT},
    ),
    (
        "round-publish",
        {"pk": "round"},
        "",
        "post",
        {},
        {**EDITOR_ONLY, "author": REDIRECT, "admin": REDIRECT},
    ),
    (
        "round-close",
        {"pk": "round"},
        "",
        "post",
        {},
        {**EDITOR_ONLY, "author": REDIRECT, "admin": REDIRECT},
    ),
    ("policy-edit", {}, "", "get", None, EDITOR_ONLY),
    ("activity-list", {}, "", "get", None, EDITOR_ONLY),
]


@pytest.fixture
def setup(make_actor):
    """A framework (v1 published) with r1 under review by ``stakeholder`` and a newer r2."""
    framework = PublishedFrameworkFactory(slug="fw")
    users = {actor: make_actor(actor, framework) for actor in ACTORS}
    author = users["author"]
    r1 = revision_save(framework=framework, user=author, summary="r1").revision
    group = StakeholderGroup.objects.get(name="Design leads")
    round = round_open(
        revision=r1,
        user=author,
        reviewers=[(users["stakeholder"], group)],
        due_on=datetime.date(2099, 1, 1),
    )
    # r2: a different draft, saved but not (yet) under review.
    draft_replace(framework=framework, document=make_document(levels=4))
    revision_save(framework=framework, user=author, summary="r2")
    return framework, users, round


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "extra", "query", "method", "data", "table"), CASES)
def test_review_access_matrix(client, setup, actor, name, extra, query, method, data, table):
    framework, users, round = setup
    kwargs = {
        "slug": framework.slug,
        **{k: (round.pk if v == "round" else v) for k, v in extra.items()},
    }
    url = reverse(f"reviews:{name}", kwargs=kwargs) + query
    user = users[actor]
    if user.is_authenticated:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    want = expected(table, actor)
    if want == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    else:
        assert response.status_code == want, (actor, url, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_inbox_needs_a_login_and_shows_only_own_rounds(client, setup, actor):
    framework, users, round = setup
    user = users[actor]
    if not user.is_authenticated:
        response = client.get(reverse("reviews:inbox"))
        assert response.status_code == 302
        return
    client.force_login(user)
    html = client.get(reverse("reviews:inbox")).content.decode()
    assert (framework.name in html) is (actor == "stakeholder")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/frameworks/nope/revisions/",
        "/frameworks/fw/revisions/99/",
        "/frameworks/fw/rounds/999/",
        "/frameworks/fw/diff/?from=r99&to=r1",
        "/frameworks/fw/diff/?from=bogus&to=r1",
    ],
)
def test_unknown_review_objects_are_404_for_editors(client, setup, url):
    _framework, users, _round = setup
    client.force_login(users["author"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["revision-restore", "round-advance", "round-publish", "round-close", "comment-create"]
)
def test_actions_refuse_get_with_405(client, setup, name):
    framework, users, round = setup
    client.force_login(users["author"])
    kwargs = {"slug": framework.slug}
    kwargs.update({"number": 1} if name == "revision-restore" else {"pk": round.pk})
    assert client.get(reverse(f"reviews:{name}", kwargs=kwargs)).status_code == 405
