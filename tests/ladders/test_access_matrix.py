"""Who may read which published page (DESIGN.md section 6), as a table.

Anonymous visitors read public frameworks only; every logged-in actor reads all published
versions. Members-only frameworks, unpublished frameworks and unknown objects are 404 —
never 403 — for whoever may not see them.
"""

import pytest
from django.urls import reverse

from tests.conftest import ACTORS
from tests.factories import FrameworkFactory, PublishedFrameworkFactory, make_document

PAGES = [
    ("ladders:framework-detail", {}),
    ("ladders:role-detail", {"role": "role-1"}),
    ("ladders:position-detail", {"role": "role-1", "level": "l2"}),
    ("ladders:position-compare", {}),
    ("ladders:path-map", {}),
    ("ladders:search", {}),
]


def _expected(actor: str, visibility: str) -> int:
    if visibility == "public":
        return 200
    return 404 if actor == "anonymous" else 200


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("visibility", ["public", "members"])
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_published_pages_access_matrix(client, make_actor, actor, visibility, name, kwargs):
    framework = PublishedFrameworkFactory(
        slug="fw", visibility=visibility, content=make_document(roles=1, levels=3)
    )
    user = make_actor(actor, framework)
    if user.is_authenticated:
        client.force_login(user)
    for url in (
        reverse(name, kwargs={"slug": "fw", **kwargs}),
        reverse(name, kwargs={"slug": "fw", "number": 1, **kwargs}),
    ):
        assert client.get(url).status_code == _expected(actor, visibility), url


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_frameworks_list_shows_only_readable_published_frameworks(client, make_actor, actor):
    PublishedFrameworkFactory(name="Open framework")
    PublishedFrameworkFactory(name="Internal framework", members_only=True)
    FrameworkFactory(name="Unpublished framework")
    user = make_actor(actor)
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(reverse("ladders:framework-list"))
    listed = [f.name for f in response.context["frameworks"]]
    assert "Open framework" in listed
    assert ("Internal framework" in listed) is (actor != "anonymous")
    assert "Unpublished framework" not in listed
    # Only its editors (admins edit every framework) find the unpublished one: its draft.
    editing = [f.name for f in response.context["editing"]]
    assert ("Unpublished framework" in editing) is (actor == "admin")


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_unpublished_framework_is_404_for_everyone(client, make_actor, actor):
    framework = FrameworkFactory(slug="secret")
    user = make_actor(actor, framework)
    if user.is_authenticated:
        client.force_login(user)
    url = reverse("ladders:framework-detail", kwargs={"slug": "secret"})
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/frameworks/nope/",
        "/frameworks/design/v7/",
        "/frameworks/design/roles/nope/",
        "/frameworks/design/roles/role-1/levels/nope/",
        "/frameworks/design/compare/?from=nope&to=role-1.l1",
    ],
)
def test_unknown_objects_are_404(client, framework, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_read_pages_refuse_post_with_405(client, framework, name, kwargs):
    url = reverse(name, kwargs={"slug": "design", **kwargs})
    assert client.post(url).status_code == 405
