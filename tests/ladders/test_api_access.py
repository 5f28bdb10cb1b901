"""Who may read what through the API: exactly the web pages' rules (DESIGN.md section 6).

Anonymous clients read public frameworks only; every member (session or token) reads every
published version; members-only frameworks for anonymous clients, unpublished frameworks and
unknown objects are 404 — never 403 — on every endpoint.
"""

import pytest
from rest_framework.authtoken.models import Token

from roles.services import draft_replace, version_publish
from tests.conftest import ACTORS
from tests.factories import (
    DraftFrameworkFactory,
    PublishedFrameworkFactory,
    UserFactory,
    make_document,
)

FRAMEWORK_PATHS = ["", "versions/"]
VERSION_PATHS = [
    "",
    "document/",
    "search/?q=statement",
    "tracks/",
    "roles/",
    "roles/role-1/",
    "levels/",
    "levels/l2/",
    "positions/",
    "positions/role-1.l2/",
    "expectations/",
    "expectations/role-1.l2.comp-1.1/",
    "competencies/",
    "competencies/comp-1/",
    "path-steps/",
    "path-steps/role-1.l1--role-1.l2/",
]


def every_url(slug: str) -> list[str]:
    base = f"/api/v1/frameworks/{slug}/"
    return [
        *(base + path for path in FRAMEWORK_PATHS),
        *(
            f"{base}versions/{number}/{path}"
            for number in ("1", "latest")
            for path in VERSION_PATHS
        ),
    ]


def _expected(actor: str, visibility: str) -> int:
    if visibility == "public":
        return 200
    return 404 if actor == "anonymous" else 200


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("visibility", ["public", "members"])
def test_api_access_matrix(client, make_actor, actor, visibility):
    framework = PublishedFrameworkFactory(
        slug="fw", visibility=visibility, content=make_document(roles=1, levels=3)
    )
    user = make_actor(actor, framework)
    if user.is_authenticated:
        client.force_login(user)
    for url in every_url("fw"):
        assert client.get(url).status_code == _expected(actor, visibility), url


@pytest.mark.django_db
def test_a_token_authenticated_member_reads_members_only_frameworks(client):
    PublishedFrameworkFactory(slug="fw", members_only=True, content=make_document())
    token = Token.objects.create(user=UserFactory(username="viewer"))
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    for url in every_url("fw"):
        assert client.get(url, **auth).status_code == 200, url
        assert client.get(url).status_code == 404, url
    listed = client.get("/api/v1/frameworks/", **auth).json()
    assert [f["slug"] for f in listed["results"]] == ["fw"]


@pytest.mark.django_db
def test_a_wrong_token_is_refused_with_401(client):
    PublishedFrameworkFactory(slug="fw", content=make_document())
    response = client.get("/api/v1/frameworks/fw/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_frameworks_list_shows_only_readable_published_frameworks(client, make_actor, actor):
    PublishedFrameworkFactory(name="Open framework", content=make_document())
    PublishedFrameworkFactory(name="Internal framework", members_only=True, content=make_document())
    DraftFrameworkFactory(name="Unpublished framework")
    user = make_actor(actor)
    if user.is_authenticated:
        client.force_login(user)
    listed = [f["name"] for f in client.get("/api/v1/frameworks/").json()["results"]]
    expected = ["Internal framework", "Open framework"]
    assert listed == (expected[1:] if actor == "anonymous" else expected)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_unpublished_framework_is_404_for_everyone(client, make_actor, actor):
    framework = DraftFrameworkFactory(slug="secret", content=make_document())
    user = make_actor(actor, framework)
    if user.is_authenticated:
        client.force_login(user)
    for url in every_url("secret"):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "nope/",
        "nope/versions/",
        "nope/versions/latest/",
        "design/versions/7/",
        "design/versions/7/document/",
        "design/versions/0/roles/",
        "design/versions/1/roles/nope/",
        "design/versions/1/levels/nope/",
        "design/versions/latest/positions/role-1/",
        "design/versions/1/expectations/nope/",
        "design/versions/1/competencies/nope/",
        "design/versions/1/path-steps/nope/",
        "design/versions/1/tracks/nope/",
    ],
)
def test_unknown_objects_are_404(client, framework, path):
    response = client.get(f"/api/v1/frameworks/{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"]}


@pytest.mark.django_db
def test_archived_versions_stay_readable_and_drafts_never_show(client):
    framework = PublishedFrameworkFactory(slug="fw", content=make_document(roles=1))
    draft_replace(framework=framework, document=make_document(roles=2))
    version_publish(framework=framework)
    draft_replace(framework=framework, document=make_document(roles=3))
    assert client.get("/api/v1/frameworks/fw/versions/1/roles/").json()["count"] == 1
    assert client.get("/api/v1/frameworks/fw/versions/latest/roles/").json()["count"] == 2
    assert client.get("/api/v1/frameworks/fw/versions/3/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_the_api_is_read_only(client, method):
    PublishedFrameworkFactory(slug="fw", content=make_document())
    for url in ["/api/v1/frameworks/", *every_url("fw")]:
        response = getattr(client, method)(url)
        assert response.status_code == 405, url
        assert response["Allow"] == "GET, HEAD"
