"""Document <-> version rows: create_rows and document_from_version are exact inverses."""

from __future__ import annotations

import pytest

from roles.document import document_sha256, empty_document
from roles.models import (
    Expectation,
    FrameworkVersion,
    Level,
    PathStep,
    Position,
    Track,
    VersionStatus,
)
from roles.serialization import create_rows, delete_rows, document_from_version
from tests.factories import FrameworkFactory, make_document, make_tracked_document
from tests.roles.conftest import CONTENT_MODELS

pytestmark = pytest.mark.django_db


def draft_of(framework) -> FrameworkVersion:
    return FrameworkVersion.objects.get(framework=framework, status=VersionStatus.DRAFT)


def assert_round_trip(document) -> FrameworkVersion:
    version = draft_of(FrameworkFactory())
    create_rows(version, document)
    back = document_from_version(version)
    assert back == document
    assert document_sha256(back) == document_sha256(document)
    return version


@pytest.mark.parametrize(
    "document",
    [
        make_document(),
        make_document(roles=1, levels=1, competencies=1, statements=1),
        make_document(roles=3, levels=5, competencies=4, statements=3, sub_roles=2),
        make_tracked_document(),
    ],
    ids=["default", "smallest", "bigger-with-sub-roles", "tracked"],
)
def test_rows_read_back_as_the_same_document(document):
    assert_round_trip(document)


def test_an_empty_version_reads_back_as_an_empty_document():
    assert document_from_version(draft_of(FrameworkFactory())) == empty_document()


def test_document_order_survives_even_when_it_differs_from_insertion_friendly_order():
    document = make_document(roles=2, levels=3)
    document["expectations"].reverse()
    document["positions"].reverse()
    document["levels"].reverse()
    assert_round_trip(document)


def test_rows_hold_the_document_content():
    document = make_tracked_document()
    version = assert_round_trip(document)
    ic = Track.objects.get(version=version, key="ic")
    assert ic.forks_from.key == "common"
    level = Level.objects.get(version=version, key="content-lead")
    assert (level.role.key, level.track.key, level.rank) == ("content", "ic", 3)
    statement = Expectation.objects.get(version=version, key="design.mid.craft.2")
    assert statement.sub_role.key == "design.research"
    assert statement.position == Position.objects.get(version=version, key="design.mid")
    lateral = PathStep.objects.get(version=version, kind="lateral")
    assert (lateral.from_position.key, lateral.to_position.key) == ("design.mid", "content.mid")
    assert lateral.note == "After a writing project."
    assert list(
        Expectation.objects.filter(version=version).order_by("order").values_list("key", flat=True)
    ) == [e["key"] for e in document["expectations"]]


def test_versions_keep_their_rows_apart():
    first, second = draft_of(FrameworkFactory()), draft_of(FrameworkFactory())
    create_rows(first, make_document(roles=1))
    create_rows(second, make_tracked_document())
    assert document_from_version(first) == make_document(roles=1)
    assert document_from_version(second) == make_tracked_document()


def test_delete_rows_empties_one_version_only():
    first, second = draft_of(FrameworkFactory()), draft_of(FrameworkFactory())
    create_rows(first, make_tracked_document())
    create_rows(second, make_document())
    delete_rows(first)
    assert all(not model.objects.filter(version=first).exists() for model in CONTENT_MODELS)
    assert document_from_version(second) == make_document()


def test_document_from_version_reads_one_query_per_kind(django_assert_num_queries):
    version = draft_of(FrameworkFactory())
    create_rows(version, make_document(roles=3, levels=4, sub_roles=1))
    # tracks, roles, sub_roles, levels, competencies, positions, expectations, criteria, steps
    with django_assert_num_queries(9):
        document_from_version(version)


def test_real_frameworks_round_trip_through_rows(real_framework):
    document = real_framework.document()
    version = assert_round_trip(document)
    counts = real_framework.counts()
    assert Expectation.objects.filter(version=version).count() == counts["rows"]
    assert Position.objects.filter(version=version).count() == counts["levels"]
