"""Invariants the database enforces on its own, and the models' clean() rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from roles.models import Expectation, FrameworkVersion, VersionStatus
from tests.factories import (
    CompetencyFactory,
    ExpectationFactory,
    FrameworkFactory,
    FrameworkVersionFactory,
    LevelFactory,
    PathStepFactory,
    PositionFactory,
    RoleFactory,
    SubRoleFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db


def refused(make) -> None:
    """``make()`` must fail in the database; the test's transaction stays usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_framework_has_at_most_one_draft():
    framework = FrameworkFactory()  # comes with its draft
    refused(lambda: FrameworkVersion.objects.create(framework=framework, status="draft"))


def test_a_framework_has_at_most_one_current_version():
    current = FrameworkVersionFactory(number=1)
    refused(lambda: FrameworkVersionFactory(framework=current.framework, number=2))
    FrameworkVersionFactory(framework=current.framework, number=2, archived=True)


def test_version_numbers_are_unique_within_a_framework():
    v1 = FrameworkVersionFactory(number=1, archived=True)
    refused(lambda: FrameworkVersionFactory(framework=v1.framework, number=1))
    FrameworkVersionFactory(number=1)  # another framework


@pytest.mark.parametrize(
    "fields",
    [
        {"status": VersionStatus.DRAFT, "number": 1, "published_at": None},
        {"status": VersionStatus.PUBLISHED, "number": None},
        {"status": VersionStatus.ARCHIVED, "number": 1, "published_at": None},
    ],
    ids=["numbered-draft", "unnumbered-version", "unpublished-archive"],
)
def test_version_status_and_number_agree(fields):
    framework = FrameworkFactory()
    FrameworkVersion.objects.filter(framework=framework).delete()
    values = {"published_at": timezone.now(), **fields}
    refused(lambda: FrameworkVersion.objects.create(framework=framework, **values))


def test_an_empty_statement_is_refused_by_the_database():
    refused(lambda: ExpectationFactory(text=""))


@pytest.mark.parametrize(
    "factory, field",
    [
        (TrackFactory, "name"),
        (RoleFactory, "name"),
        (LevelFactory, "name"),
        (CompetencyFactory, "name"),
        (PositionFactory, "title"),
    ],
)
def test_empty_names_are_refused_by_the_database(factory, field):
    refused(lambda: factory(**{field: ""}))


def test_keys_are_unique_per_kind_within_a_version():
    role = RoleFactory(key="design")
    refused(lambda: RoleFactory(version=role.version, key="design"))
    LevelFactory(version=role.version, key="design")
    RoleFactory(key="design")  # another version


def test_level_rank_is_unique_within_a_track_and_role_scope():
    version = FrameworkVersionFactory()
    track, role = TrackFactory(version=version), RoleFactory(version=version)
    LevelFactory(version=version, rank=1)
    refused(lambda: LevelFactory(version=version, rank=1))
    LevelFactory(version=version, track=track, rank=1)
    refused(lambda: LevelFactory(version=version, track=track, rank=1))
    LevelFactory(version=version, role=role, rank=1)
    refused(lambda: LevelFactory(version=version, role=role, rank=1))
    LevelFactory(version=version, track=track, role=role, rank=1)
    refused(lambda: LevelFactory(version=version, track=track, role=role, rank=1))


def test_level_rank_starts_at_one():
    refused(lambda: LevelFactory(rank=0))


def test_a_role_has_one_position_per_level():
    position = PositionFactory()
    refused(
        lambda: PositionFactory(version=position.version, role=position.role, level=position.level)
    )


def test_a_path_step_cannot_loop_or_repeat():
    step = PathStepFactory()
    refused(
        lambda: PathStepFactory(
            version=step.version, from_position=step.from_position, to_position=step.from_position
        )
    )
    refused(
        lambda: PathStepFactory(
            version=step.version, from_position=step.from_position, to_position=step.to_position
        )
    )


def test_sub_role_names_are_unique_within_a_role():
    sub = SubRoleFactory(name="Research")
    refused(lambda: SubRoleFactory(version=sub.version, role=sub.role, name="Research"))


def test_clean_refuses_a_competency_of_another_role():
    statement = ExpectationFactory()
    statement.competency.role = RoleFactory(version=statement.version)
    statement.competency.save()
    with pytest.raises(ValidationError, match="another role"):
        statement.full_clean()


def test_clean_refuses_a_blank_statement_and_a_level_of_another_role():
    with pytest.raises(ValidationError, match="cannot be empty"):
        Expectation(text="  ").clean()
    position = PositionFactory()
    position.level.role = RoleFactory(version=position.version)
    with pytest.raises(ValidationError, match="another role"):
        position.clean()


def test_clean_keeps_references_inside_one_version():
    step = PathStepFactory()
    step.to_position = PositionFactory()  # in another version
    with pytest.raises(ValidationError, match="one framework version"):
        step.clean()
