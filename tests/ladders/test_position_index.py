"""PositionIndex: people's positions resolved in one query, loading only where they sit."""

from __future__ import annotations

import pytest

from ladders.people.positions import PositionIndex
from tests.factories import PublishedFrameworkFactory, make_document

pytestmark = pytest.mark.django_db


def test_only_the_places_asked_for_are_loaded(django_assert_num_queries):
    big = PublishedFrameworkFactory(content=make_document(roles=3, levels=4))
    other = PublishedFrameworkFactory(content=make_document(roles=2, levels=2))
    wanted = {(big.pk, "role-2", "l3"), (big.pk, "role-1", "l1"), (other.pk, "role-2", "l2")}
    with django_assert_num_queries(2):  # positions, specialisms
        index = PositionIndex(wanted=wanted)
    # Of 16 positions: the three asked for, and the other pairings of the roles and levels
    # asked for in the same framework (role-1 at l3, role-2 at l1).
    assert wanted <= set(index.positions)
    assert len(index.positions) == 5
    assert index.position(big.pk, "role-2", "l3").key == "role-2.l3"
    assert index.position(other.pk, "role-2", "l2").version.framework_id == other.pk
    assert index.position(big.pk, "role-9", "l1") is None


def test_asked_by_framework_every_position_is_loaded():
    big = PublishedFrameworkFactory(content=make_document(roles=3, levels=4))
    assert len(PositionIndex([big.pk]).positions) == 12


def test_nothing_asked_nothing_queried(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert PositionIndex(wanted=set()).positions == {}
