"""The framework document endpoint, and conditional requests on version-scoped resources:
published versions never change, so ETag and Last-Modified let clients revalidate for free."""

import hashlib
import json

import pytest
from django.utils.http import http_date

from roles.document import canonical_bytes, document_sha256
from roles.models import FrameworkVersion
from roles.serialization import document_from_version
from roles.services import draft_replace, version_publish
from tests.factories import PublishedFrameworkFactory, make_document, make_tracked_document

V = "/api/v1/frameworks/t/versions"


@pytest.fixture
def framework(db):
    return PublishedFrameworkFactory(slug="t", content=make_tracked_document())


def test_document_is_the_versions_canonical_document_with_its_hash_as_etag(client, framework):
    version = FrameworkVersion.objects.get(framework=framework, number=1)
    document = document_from_version(version)
    response = client.get(f"{V}/1/document/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == canonical_bytes(document)
    assert json.loads(response.content) == document
    assert response["ETag"] == f'"{document_sha256(document)}"' == f'"{version.document_sha256}"'
    # The strong ETag is the SHA-256 of the very bytes sent.
    assert response["ETag"].strip('"') == hashlib.sha256(response.content).hexdigest()
    assert response["Last-Modified"] == http_date(version.published_at.timestamp())


def test_document_if_none_match_is_304_without_reading_the_content(
    client, framework, django_assert_num_queries
):
    etag = client.get(f"{V}/1/document/")["ETag"]
    # the version with its framework: the stored hash answers, no content query
    with django_assert_num_queries(1):
        response = client.get(f"{V}/1/document/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    other = client.get(f"{V}/1/document/", HTTP_IF_NONE_MATCH='"0000"')
    assert other.status_code == 200
    assert client.get(f"{V}/1/document/", HTTP_IF_NONE_MATCH="*").status_code == 304


def test_head_answers_the_headers_only(client, framework):
    response = client.head(f"{V}/latest/document/")
    assert (response.status_code, response.content) == (200, b"")
    assert response["ETag"] == client.get(f"{V}/1/document/")["ETag"]


def test_latest_document_follows_the_current_version(client, framework):
    v1 = client.get(f"{V}/latest/document/")
    assert v1.content == client.get(f"{V}/1/document/").content
    draft_replace(framework=framework, document=make_document(roles=1, levels=2))
    version_publish(framework=framework)
    latest = client.get(f"{V}/latest/document/", HTTP_IF_NONE_MATCH=v1["ETag"])
    assert latest.status_code == 200
    assert json.loads(latest.content) == make_document(roles=1, levels=2)
    assert latest["ETag"] != v1["ETag"]
    # v1 stays readable, unchanged.
    assert client.get(f"{V}/1/document/").content == v1.content


@pytest.mark.parametrize(
    "path",
    [
        "roles/",
        "roles/design/",
        "levels/?role=design",
        "positions/?track=ic",
        "positions/design.mid/",
        "expectations/?competency=craft",
        "competencies/",
        "tracks/",
        "path-steps/",
        "search/?q=craft",
    ],
)
def test_version_resources_revalidate_with_etag_and_last_modified(client, framework, path):
    first = client.get(f"{V}/1/{path}")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert modified == http_date(FrameworkVersion.objects.get(number=1).published_at.timestamp())
    again = client.get(f"{V}/1/{path}", HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    since = client.get(f"{V}/1/{path}", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304


def test_etag_depends_on_the_query_and_the_version(client, framework):
    version_publish(framework=framework)
    etags = {
        client.get(url)["ETag"]
        for url in (
            f"{V}/1/positions/",
            f"{V}/1/positions/?role=design",
            f"{V}/1/positions/?page_size=2",
            f"{V}/2/positions/",
        )
    }
    assert len(etags) == 4
    stale = client.get(f"{V}/1/positions/")["ETag"]
    assert client.get(f"{V}/2/positions/", HTTP_IF_NONE_MATCH=stale).status_code == 200


def test_latest_is_modified_after_a_new_publish(client, framework):
    first = client.get(f"{V}/latest/roles/")
    version_publish(framework=framework)
    after = client.get(
        f"{V}/latest/roles/",
        HTTP_IF_NONE_MATCH=first["ETag"],
        HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
    )
    assert after.status_code == 200
    assert after.json()["results"][0]["url"].endswith("/versions/2/roles/design/")


def test_version_detail_etag_changes_when_it_is_superseded(client, framework):
    current = client.get(f"{V}/1/")
    assert current.json()["is_current"] is True
    # A version's status changes: no Last-Modified to revalidate against.
    assert "Last-Modified" not in current
    assert client.get(f"{V}/1/", HTTP_IF_NONE_MATCH=current["ETag"]).status_code == 304
    version_publish(framework=framework)
    archived = client.get(f"{V}/1/", HTTP_IF_NONE_MATCH=current["ETag"])
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"


def test_the_browsable_api_is_not_cached_by_etag(client, framework):
    response = client.get(f"{V}/1/roles/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "ETag" not in response


@pytest.mark.django_db
def test_members_only_responses_are_private(client, viewer):
    PublishedFrameworkFactory(slug="t", members_only=True, content=make_document())
    client.force_login(viewer)
    for path in ("1/roles/", "1/document/", "latest/"):
        assert "private" in client.get(f"{V}/{path}")["Cache-Control"]
    PublishedFrameworkFactory(slug="open", content=make_document())
    response = client.get("/api/v1/frameworks/open/versions/1/roles/")
    assert "Cache-Control" not in response
    assert "Authorization" in response["Vary"]
