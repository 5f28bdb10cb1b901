"""Who may use the draft editor (DESIGN.md section 6), as a table over every view and action.

Only the framework's editors and superusers reach the draft; for everyone else — anonymous
visitors, other members, stakeholders, leads, HR — every URL is 404 (never 403), for GET
and POST alike, so nothing reveals what the draft holds. Editors get 405 for a wrong method:
actions are POST only, read-only fragments GET only.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import ACTORS
from tests.factories import DraftFrameworkFactory, UserFactory, make_tracked_document

EDITORS = {"author", "admin"}

# (URL name, kwargs, query, what it is). "page": GET shows it, POST is 405 when read-only or
# handled when it is a form; "read": GET only; "action": POST only.
URLS = [
    ("roles:draft-detail", {}, "", "read"),
    ("roles:role-matrix", {"key": "design"}, "", "read"),
    ("roles:position-detail", {"key": "design.mid"}, "", "read"),
    ("roles:path-step-list", {}, "", "read"),
    ("roles:cell-detail", {"position": "design.mid", "competency": "craft"}, "", "read"),
    ("roles:expectation-detail", {"key": "design.mid.craft.1"}, "", "read"),
    ("roles:criterion-detail", {"key": "design.mid.c1"}, "", "read"),
    ("roles:criterion-list", {"position": "design.mid"}, "", "read"),
    ("roles:markdown-preview", {}, "", "action"),
    ("roles:track-create", {}, "", "form"),
    ("roles:track-edit", {"key": "ic"}, "", "form"),
    ("roles:track-delete", {"key": "mgr"}, "", "form"),
    ("roles:track-move", {"key": "ic"}, "", "action"),
    ("roles:role-create", {}, "", "form"),
    ("roles:role-edit", {"key": "design"}, "", "form"),
    ("roles:role-delete", {"key": "content"}, "", "form"),
    ("roles:role-move", {"key": "content"}, "", "action"),
    ("roles:sub-role-create", {"role": "design"}, "", "form"),
    ("roles:sub-role-edit", {"key": "design.research"}, "", "form"),
    ("roles:sub-role-delete", {"key": "design.research"}, "", "form"),
    ("roles:sub-role-move", {"key": "design.research"}, "", "action"),
    ("roles:level-create", {}, "", "form"),
    ("roles:level-edit", {"key": "junior"}, "", "form"),
    ("roles:level-delete", {"key": "junior"}, "", "form"),
    ("roles:position-create", {"role": "content"}, "", "form"),
    ("roles:position-edit", {"key": "design.mid"}, "", "form"),
    ("roles:position-delete", {"key": "design.mid"}, "", "form"),
    ("roles:competency-create", {}, "", "form"),
    ("roles:competency-edit", {"key": "craft"}, "", "form"),
    ("roles:competency-delete", {"key": "craft"}, "", "form"),
    ("roles:competency-move", {"key": "collab"}, "", "action"),
    ("roles:category-edit", {}, "?name=Project+execution", "form"),
    ("roles:path-step-create", {}, "", "form"),
    ("roles:path-step-edit", {"key": "design.junior--design.mid"}, "", "form"),
    ("roles:path-step-delete", {"key": "design.junior--design.mid"}, "", "form"),
    ("roles:expectation-create", {}, "?position=design.mid&competency=craft", "form"),
    ("roles:expectation-edit", {"key": "design.mid.craft.1"}, "", "form"),
    ("roles:expectation-delete", {"key": "design.mid.craft.1"}, "", "form"),
    ("roles:expectation-move", {"key": "design.mid.craft.2"}, "", "action"),
    ("roles:criterion-create", {"position": "design.mid"}, "", "form"),
    ("roles:criterion-edit", {"key": "design.mid.c1"}, "", "form"),
    ("roles:criterion-delete", {"key": "design.mid.c1"}, "", "form"),
    ("roles:criterion-move", {"key": "design.mid.c1"}, "", "action"),
    # Export and import (an unknown token: the editor is sent back to the upload form).
    ("roles:draft-export", {}, "?format=json", "read"),
    ("roles:draft-import", {}, "", "form"),
    ("roles:import-detail", {"token": "unknown"}, "", "read"),
    ("roles:import-confirm", {"token": "unknown"}, "", "action"),
    ("roles:import-delete", {"token": "unknown"}, "", "action"),
]
ACTION_DATA = {"direction": "up", "text": "Hello"}
# HR imports and exports drafts too (DESIGN.md section 6), without the rest of the editor.
IO_URLS = {
    "roles:draft-export",
    "roles:draft-import",
    "roles:import-detail",
    "roles:import-confirm",
    "roles:import-delete",
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hundreds of users are made here; hashing their passwords properly would dominate."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def framework(db):
    return DraftFrameworkFactory(slug="fw", content=make_tracked_document())


def _url(name: str, kwargs: dict, query: str) -> str:
    return reverse(name, kwargs={"slug": "fw", **kwargs}) + query


def _login(client, user) -> None:
    if user.is_authenticated:
        client.force_login(user)


def test_every_url_of_the_editor_is_in_the_table():
    from roles import urls

    names = {f"roles:{p.name}" for p in urls.urlpatterns}
    assert names == {name for name, *_ in URLS}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "kwargs", "query", "what"), URLS)
def test_editor_access_matrix(client, make_actor, framework, actor, name, kwargs, query, what):
    user = make_actor(actor, framework)
    _login(client, user)
    url = _url(name, kwargs, query)
    get, post = client.get(url), client.post(url, ACTION_DATA)
    allowed = EDITORS | ({"hr"} if name in IO_URLS else set())
    if actor not in allowed:
        assert (get.status_code, post.status_code) == (404, 404), url
        return
    if what == "action":
        assert get.status_code == 405
        assert post.status_code in (200, 302), url
    elif what == "read":
        assert get.status_code in (200, 302), url
        assert post.status_code == 405
    else:
        assert get.status_code == 200, url
        # Forms answer a bare POST with their errors, a conflict (no fingerprint) or a redirect.
        assert post.status_code in (200, 302, 409), url


@pytest.mark.parametrize(("name", "kwargs", "query", "what"), URLS)
def test_editors_of_another_framework_get_404(client, db, name, kwargs, query, what):
    DraftFrameworkFactory(slug="fw", content=make_tracked_document())
    other_editor = UserFactory(username="other-editor")
    DraftFrameworkFactory(slug="mine", editors=[other_editor])
    client.force_login(other_editor)
    url = _url(name, kwargs, query)
    assert client.get(url).status_code == 404
    assert client.post(url, ACTION_DATA).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/frameworks/nope/draft/",
        "/frameworks/fw/draft/roles/nope/matrix/",
        "/frameworks/fw/draft/positions/nope/",
        "/frameworks/fw/draft/levels/nope/edit/",
        "/frameworks/fw/draft/expectations/nope/edit/",
        "/frameworks/fw/draft/expectations/new/?position=nope&competency=craft",
        "/frameworks/fw/draft/categories/edit/?name=Nope",
    ],
)
def test_unknown_elements_are_404_for_editors(client, make_actor, framework, url):
    client.force_login(make_actor("admin"))
    assert client.get(url).status_code == 404


def test_the_published_version_is_not_editable_through_the_draft_urls(client, make_actor, db):
    """The draft URLs always edit the draft: a published version's rows are never touched."""
    from roles.models import Expectation
    from tests.factories import PublishedFrameworkFactory

    framework = PublishedFrameworkFactory(slug="pub")
    user = make_actor("author", framework)
    client.force_login(user)
    published = Expectation.objects.filter(version__number=1).values_list("text", flat=True)
    before = sorted(published)
    key = Expectation.objects.filter(version__number=1).first().key
    url = reverse("roles:expectation-edit", kwargs={"slug": "pub", "key": key})
    client.post(url, {"text": "Changed", "fingerprint": "x"})
    assert sorted(published) == before
