"""Read pages keep a constant number of queries as a framework grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PublishedFrameworkFactory, make_document

PAGES = [
    # overview: session-less anonymous request → version (+framework), roles,
    # positions+levels, published versions list
    ("ladders:framework-detail", {}),
    # role: version (+framework), role, positions (+level, track, counts), sub-roles
    ("ladders:role-detail", {"role": "role-1"}),
    # position: version (+framework), position, sub-roles, expectations, steps out,
    # their criteria, steps in
    ("ladders:position-detail", {"role": "role-1", "level": "l2"}),
    # path map: version (+framework), positions, steps, roles
    ("ladders:path-map", {}),
    # search: version (+framework), count, statements, titles
    ("ladders:search", {}),
]


def _queries(client, slug: str, name: str, kwargs: dict, query: str) -> int:
    url = reverse(name, kwargs={"slug": slug, **kwargs}) + query
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_page_query_count_is_the_same_for_1_and_40_roles(client, name, kwargs):
    PublishedFrameworkFactory(slug="small", content=make_document(roles=1, levels=4))
    PublishedFrameworkFactory(
        slug="large", content=make_document(roles=40, levels=4, competencies=6, sub_roles=2)
    )
    query = "?q=statement" if name == "ladders:search" else "?sub_role=role-1.sub-1"
    small = _queries(client, "small", name, kwargs, query)
    large = _queries(client, "large", name, kwargs, query)
    assert small == large
    assert large <= 20


@pytest.mark.django_db
def test_compare_query_count_does_not_grow(client, django_assert_max_num_queries):
    PublishedFrameworkFactory(slug="large", content=make_document(roles=40, levels=4))
    url = reverse("ladders:position-compare", kwargs={"slug": "large"})
    # version (+framework), choices, the two positions, expectations of both
    with django_assert_max_num_queries(8):
        response = client.get(url, {"from": "role-7.l1", "to": "role-7.l2"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_frameworks_list_is_one_query_per_page(client, django_assert_max_num_queries):
    for _ in range(12):
        PublishedFrameworkFactory(content=make_document(roles=2, levels=2))
    with django_assert_max_num_queries(3):
        response = client.get(reverse("ladders:framework-list"))
    assert response.status_code == 200
    assert response.content.decode().count("<article") == 12
