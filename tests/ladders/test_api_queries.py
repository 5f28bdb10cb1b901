"""Every API endpoint runs a constant number of queries, whatever the framework's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from tests.factories import PublishedFrameworkFactory, UserFactory, make_document

# (path under /api/v1/frameworks/<slug>/, queries for an anonymous client). Every
# version-scoped endpoint starts with the version and its framework (roles.access).
ENDPOINTS = [
    # frameworks: count, page (current version and counts are subqueries)
    ("/api/v1/frameworks/", 2),
    # the framework with its current version and counts
    ("", 1),
    # framework (as listed), count, page
    ("versions/", 3),
    # version (+framework)
    ("versions/latest/", 1),
    # version (+framework), its nine kinds of rows
    ("versions/1/document/", 10),
    # version (+framework), count, statements page, matching titles
    ("versions/1/search/?q=statement", 4),
    # version (+framework), count, page (+forked-from track)
    ("versions/1/tracks/", 3),
    # version (+framework), count, page, sub-roles
    ("versions/1/roles/", 4),
    # version (+framework), role, its sub-roles
    ("versions/1/roles/role-1/", 3),
    # version (+framework), count, page (+track, role)
    ("versions/latest/levels/?role=role-1", 3),
    # version (+framework), level
    ("versions/1/levels/l2/", 2),
    # version (+framework), count, page (+role, level, track), statements (+competency,
    # sub-role), criteria
    ("versions/1/positions/?page_size=500", 5),
    ("versions/1/positions/?role=role-1&competency=comp-1&sub_role=role-1.sub-1", 5),
    # version (+framework), position, its statements, its criteria
    ("versions/1/positions/role-1.l2/", 4),
    # version (+framework), count, page (+position, role, level, competency, sub-role)
    ("versions/1/expectations/?page_size=500", 3),
    ("versions/1/expectations/role-1.l2.comp-1.1/", 2),
    # version (+framework), count, page (+role)
    ("versions/1/competencies/", 3),
    ("versions/1/competencies/comp-1/", 2),
    # version (+framework), count, page (+both positions, their roles and levels)
    ("versions/1/path-steps/?page_size=500", 3),
    ("versions/1/path-steps/role-1.l1--role-1.l2/", 2),
]


def _count(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _url(slug: str, path: str) -> str:
    return path if path.startswith("/") else f"/api/v1/frameworks/{slug}/{path}"


def _with_tracks(document: dict, count: int) -> dict:
    """``document`` with ``count`` tracks, each forking from the one before."""
    document["tracks"] = [
        {"key": f"t{n}", "name": f"Track {n}", "forks_from": f"t{n - 1}" if n > 1 else None}
        for n in range(1, count + 1)
    ]
    return document


@pytest.fixture
def small_and_large(db):
    small = make_document(roles=1, levels=3, sub_roles=1)
    large = make_document(roles=20, levels=5, competencies=6, sub_roles=2)
    PublishedFrameworkFactory(slug="small", content=_with_tracks(small, 1))
    PublishedFrameworkFactory(slug="large", content=_with_tracks(large, 5))


@pytest.mark.parametrize(("path", "expected"), ENDPOINTS)
def test_query_count_is_the_same_for_1_and_20_roles(client, small_and_large, path, expected):
    small = _count(client, _url("small", path))
    large = _count(client, _url("large", path))
    assert small == large == expected


@pytest.mark.parametrize(("path", "expected"), ENDPOINTS)
def test_a_token_costs_one_query_more(client, small_and_large, path, expected):
    token = Token.objects.create(user=UserFactory(username="viewer"))
    # + the token with its user
    count = _count(client, _url("large", path), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert count == expected + 1
