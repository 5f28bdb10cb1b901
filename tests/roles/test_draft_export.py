"""Exporting the draft (roles.views.io.draft_export): its editors only, every format."""

from __future__ import annotations

import pytest
from django.urls import reverse

from roles.formats.long_csv import parse_long_csv, write_long_csv
from roles.formats.registry import CONTENT_TYPES, FORMATS, PARSERS
from roles.serialization import document_from_version
from roles.services import draft_get
from tests.conftest import ACTORS
from tests.factories import DraftFrameworkFactory, UserFactory, make_tracked_document

EDITORS = {"author", "admin"}
# HR imports and exports too (DESIGN.md section 6), without the rest of the editor.
IMPORTERS = EDITORS | {"hr"}


@pytest.fixture
def framework(db):
    return DraftFrameworkFactory(slug="fw", content=make_tracked_document())


def _url(fmt: str, slug: str = "fw") -> str:
    return reverse("roles:draft-export", kwargs={"slug": slug}) + f"?format={fmt}"


def _draft_document(framework) -> dict:
    return document_from_version(draft_get(framework=framework))


@pytest.mark.parametrize("actor", ACTORS)
def test_only_editors_export_the_draft(client, make_actor, framework, actor):
    user = make_actor(actor, framework)
    if user.is_authenticated:
        client.force_login(user)
    get, post = client.get(_url("json")), client.post(_url("json"))
    if actor in IMPORTERS:
        assert (get.status_code, post.status_code) == (200, 405)
    else:
        assert (get.status_code, post.status_code) == (404, 404)


def test_the_editor_of_another_framework_gets_404(client, framework):
    other = UserFactory(username="other-editor")
    DraftFrameworkFactory(slug="mine", editors=[other])
    client.force_login(other)
    assert client.get(_url("json")).status_code == 404
    assert client.get(_url("json", slug="mine")).status_code == 200


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_downloads_as_slug_draft(client, make_actor, framework, fmt):
    client.force_login(make_actor("author", framework))
    response = client.get(_url(fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="fw-draft.{fmt}"'
    if fmt == "pdf":
        assert response.content.startswith(b"%PDF")
    if fmt == "md":
        assert "not published (draft)" in response.content.decode()


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_json_and_xlsx_exports_import_back_to_the_draft(admin_client, framework, fmt):
    response = admin_client.get(_url(fmt))
    assert PARSERS[fmt](response.content) == _draft_document(framework)


@pytest.mark.django_db
def test_the_csv_export_imports_back_to_the_draft(admin_client):
    content = parse_long_csv(write_long_csv(make_tracked_document()).encode())
    framework = DraftFrameworkFactory(slug="fw", content=content)
    response = admin_client.get(_url("csv"))
    assert parse_long_csv(response.content) == _draft_document(framework)


@pytest.mark.parametrize("query", ["?format=docx", "", "?format="])
def test_an_unknown_format_is_404(admin_client, framework, query):
    url = reverse("roles:draft-export", kwargs={"slug": "fw"}) + query
    assert admin_client.get(url).status_code == 404


def test_the_draft_overview_links_every_export_and_the_import(admin_client, framework):
    html = admin_client.get(reverse("roles:draft-detail", kwargs={"slug": "fw"})).content
    for fmt in FORMATS:
        assert f'href="{_url(fmt)}"'.encode() in html
    assert f'href="{reverse("roles:draft-import", kwargs={"slug": "fw"})}"'.encode() in html
