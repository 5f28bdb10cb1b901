"""Downloads of a published version (ladders.exports): who may, in which formats, named how.

Exports follow the pages' read rules (DESIGN.md section 6): a public framework for everyone,
a members-only one for logged-in actors, an unpublished one for nobody (404, never 403).
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from roles.formats.long_csv import parse_long_csv, write_long_csv
from roles.formats.registry import CONTENT_TYPES, FORMATS, PARSERS
from roles.formats.subset import document_for_role
from roles.models import FrameworkVersion
from roles.serialization import document_from_version
from roles.services import draft_replace, version_publish
from tests.conftest import ACTORS
from tests.factories import (
    FrameworkFactory,
    PublishedFrameworkFactory,
    make_document,
    make_tracked_document,
)

EXPORTS = [
    ("ladders:framework-export", {}),
    ("ladders:role-export", {"role": "role-1"}),
    ("ladders:position-export", {"role": "role-1", "level": "l2"}),
]


def _url(name: str, fmt: str, slug: str = "design", **kwargs) -> str:
    return reverse(name, kwargs={"slug": slug, **kwargs}) + f"?format={fmt}"


def _login(client, user) -> None:
    if user.is_authenticated:
        client.force_login(user)


def _document(slug: str = "design") -> dict:
    return document_from_version(FrameworkVersion.objects.current().get(framework__slug=slug))


# --- who may download --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("visibility", ["public", "members"])
@pytest.mark.parametrize(("name", "kwargs"), EXPORTS)
def test_exports_follow_the_read_rules(client, make_actor, actor, visibility, name, kwargs):
    framework = PublishedFrameworkFactory(
        slug="fw", visibility=visibility, content=make_document(roles=1, levels=3)
    )
    _login(client, make_actor(actor, framework))
    expected = 404 if visibility == "members" and actor == "anonymous" else 200
    for number in ({}, {"number": 1}):
        response = client.get(_url(name, "md", slug="fw", **kwargs, **number))
        assert response.status_code == expected, (name, number)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "kwargs"), EXPORTS)
def test_an_unpublished_framework_exports_nothing_for_anyone(
    client, make_actor, actor, name, kwargs
):
    framework = FrameworkFactory(slug="secret")
    draft_replace(framework=framework, document=make_document())
    _login(client, make_actor(actor, framework))
    assert client.get(_url(name, "md", slug="secret", **kwargs)).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), EXPORTS)
def test_exports_are_get_only(client, framework, viewer, name, kwargs):
    client.force_login(viewer)
    assert client.post(_url(name, "md", **kwargs)).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/frameworks/design/export/?format=docx",
        "/frameworks/design/export/",
        "/frameworks/design/roles/nope/export/?format=md",
        "/frameworks/design/roles/role-1/levels/nope/export/?format=pdf",
        "/frameworks/design/roles/role-1/levels/l2/export/?format=csv",  # a position is printed
        "/frameworks/design/v9/export/?format=json",
    ],
)
def test_unknown_formats_scopes_and_versions_are_404(client, framework, url):
    assert client.get(url).status_code == 404


# --- what is downloaded ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_downloads_with_its_type_and_a_named_attachment(client, framework, fmt):
    response = client.get(_url("ladders:framework-export", fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="design-v1.{fmt}"'
    assert len(response.content) > 100
    if fmt == "pdf":
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("name", "kwargs", "fmt", "filename"),
    [
        ("ladders:role-export", {"role": "role-2"}, "xlsx", "design-v1-role-2.xlsx"),
        ("ladders:role-export", {"role": "role-1"}, "pdf", "design-v1-role-1.pdf"),
        (
            "ladders:position-export",
            {"role": "role-1", "level": "l2"},
            "pdf",
            "design-v1-role-1-l2.pdf",
        ),
        (
            "ladders:position-export",
            {"role": "role-1", "level": "l3"},
            "md",
            "design-v1-role-1-l3.md",
        ),
    ],
)
def test_file_names_carry_slug_version_and_scope(client, framework, name, kwargs, fmt, filename):
    response = client.get(_url(name, fmt, **kwargs))
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


@pytest.mark.django_db
def test_an_unsafe_slug_still_gives_a_safe_file_name(client):
    PublishedFrameworkFactory(slug="ux_design-2", content=make_document())
    response = client.get(_url("ladders:role-export", "md", slug="ux_design-2", role="role-1"))
    assert response["Content-Disposition"] == 'attachment; filename="ux_design-2-v1-role-1.md"'


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_json_and_xlsx_downloads_import_back_to_the_same_document(client, fmt):
    PublishedFrameworkFactory(slug="design", content=make_tracked_document())
    response = client.get(_url("ladders:framework-export", fmt))
    assert PARSERS[fmt](response.content) == _document()


@pytest.mark.django_db
def test_csv_download_imports_back_to_the_same_document(client):
    # The long CSV carries what a CSV can: start from a document that came from one.
    content = parse_long_csv(write_long_csv(make_tracked_document()).encode())
    PublishedFrameworkFactory(slug="design", content=content)
    response = client.get(_url("ladders:framework-export", "csv"))
    assert parse_long_csv(response.content) == _document()


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_a_role_export_holds_only_that_role(client, framework, fmt):
    response = client.get(_url("ladders:role-export", fmt, role="role-2"))
    document = PARSERS[fmt](response.content)
    assert [r["key"] for r in document["roles"]] == ["role-2"]
    assert {p["role"] for p in document["positions"]} == {"role-2"}
    assert document == document_for_role(_document(), "role-2")


def test_a_position_export_prints_only_that_position(client, framework):
    response = client.get(_url("ladders:position-export", "md", role="role-2", level="l3"))
    text = response.content.decode()
    assert "Position: Level 3 Role 2 (Role 2)" in text
    assert [line for line in text.splitlines() if line.startswith("### ")] == [
        "### Level 3 Role 2 (L3)"
    ]


def test_an_older_version_exports_as_it_was_published(client, framework):
    document = make_document(roles=3, levels=3, sub_roles=1)
    draft_replace(framework=framework, document=document)
    version_publish(framework=framework)
    old = client.get(_url("ladders:framework-export", "json", number=1))
    new = client.get(_url("ladders:framework-export", "json"))
    assert old["Content-Disposition"] == 'attachment; filename="design-v1.json"'
    assert new["Content-Disposition"] == 'attachment; filename="design-v2.json"'
    assert len(json.loads(old.content)["roles"]) == 2
    assert json.loads(new.content) == document


# --- the export menu ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "kwargs", "export", "formats"),
    [
        (
            "ladders:framework-detail",
            {},
            "ladders:framework-export",
            ["pdf", "md", "xlsx", "csv", "json"],
        ),
        (
            "ladders:role-detail",
            {"role": "role-1"},
            "ladders:role-export",
            ["pdf", "md", "xlsx", "csv", "json"],
        ),
        (
            "ladders:position-detail",
            {"role": "role-1", "level": "l2"},
            "ladders:position-export",
            ["pdf", "md"],
        ),
    ],
)
@pytest.mark.parametrize("older", [False, True])
def test_pages_offer_an_export_menu_of_their_version(
    client, framework, page, kwargs, export, formats, older
):
    version = {}
    if older:  # v1 superseded by v2: its pages export v1
        version_publish(framework=framework)
        version = {"number": 1}
    html = client.get(reverse(page, kwargs={"slug": "design", **kwargs, **version})).content
    base = reverse(export, kwargs={"slug": "design", **kwargs, **version})
    assert b"<details" in html  # opens without JavaScript
    offered = [f for f in sorted(FORMATS) if f'href="{base}?format={f}"'.encode() in html]
    assert offered == sorted(formats)
