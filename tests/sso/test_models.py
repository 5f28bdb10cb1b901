"""GroupMapping validation: exactly one target, matching its kind; no duplicates."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sso.models import GroupMapping, Identity, TargetKind
from tests.factories import FrameworkFactory, UserFactory
from tests.reviews.factories import StakeholderGroupFactory
from tests.sso.factories import GroupMappingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", [TargetKind.HR, TargetKind.LEADS])
def test_a_group_target_is_valid_without_a_framework(target):
    GroupMapping(claim_value="design-hr", target=target).full_clean()


def test_a_framework_editor_target_is_valid_with_a_framework():
    mapping = GroupMapping(
        claim_value="design-editors",
        target=TargetKind.FRAMEWORK_EDITOR,
        framework=FrameworkFactory(),
    )
    mapping.full_clean()


def test_a_framework_editor_target_needs_a_framework():
    mapping = GroupMapping(claim_value="x", target=TargetKind.FRAMEWORK_EDITOR)

    with pytest.raises(ValidationError) as error:
        mapping.full_clean()

    assert "framework" in error.value.message_dict


def test_a_stakeholder_group_target_is_valid_with_a_stakeholder_group():
    mapping = GroupMapping(
        claim_value="design-leads",
        target=TargetKind.STAKEHOLDER_GROUP,
        stakeholder_group=StakeholderGroupFactory(),
    )
    mapping.full_clean()


def test_a_stakeholder_group_target_needs_a_stakeholder_group_and_no_framework():
    mapping = GroupMapping(
        claim_value="x", target=TargetKind.STAKEHOLDER_GROUP, framework=FrameworkFactory()
    )

    with pytest.raises(ValidationError) as error:
        mapping.full_clean()

    assert {"framework", "stakeholder_group"} <= set(error.value.message_dict)


@pytest.mark.parametrize("target", [TargetKind.HR, TargetKind.LEADS, TargetKind.FRAMEWORK_EDITOR])
def test_other_targets_refuse_a_stakeholder_group(target):
    framework = FrameworkFactory() if target == TargetKind.FRAMEWORK_EDITOR else None
    mapping = GroupMapping(
        claim_value="x",
        target=target,
        framework=framework,
        stakeholder_group=StakeholderGroupFactory(),
    )

    with pytest.raises(ValidationError) as error:
        mapping.full_clean()

    assert set(error.value.message_dict) == {"stakeholder_group"}


@pytest.mark.parametrize("target", [TargetKind.HR, TargetKind.LEADS])
def test_a_group_target_refuses_a_framework(target):
    mapping = GroupMapping(claim_value="x", target=target, framework=FrameworkFactory())

    with pytest.raises(ValidationError) as error:
        mapping.full_clean()

    assert "framework" in error.value.message_dict


def test_claim_value_and_target_are_required():
    with pytest.raises(ValidationError) as error:
        GroupMapping(claim_value="", target="").full_clean()

    assert {"claim_value", "target"} <= set(error.value.message_dict)


def test_an_unknown_target_kind_is_refused():
    with pytest.raises(ValidationError) as error:
        GroupMapping(claim_value="x", target="stakeholder").full_clean()

    assert "target" in error.value.message_dict


@pytest.mark.parametrize(
    "existing",
    [
        {"target": TargetKind.HR},
        {"target": TargetKind.FRAMEWORK_EDITOR, "framework": "same"},
        {"target": TargetKind.STAKEHOLDER_GROUP, "stakeholder_group": "same"},
    ],
)
def test_the_same_mapping_twice_is_refused(existing):
    same = {"framework": FrameworkFactory(), "stakeholder_group": StakeholderGroupFactory()}
    fields = {k: same[k] if v == "same" else v for k, v in existing.items()}
    GroupMappingFactory(claim_value="design", **fields)

    with pytest.raises(ValidationError) as error:
        GroupMapping(claim_value="design", **fields).full_clean()

    assert "already grants that" in str(error.value)


def test_one_value_may_grant_several_things():
    first, second = FrameworkFactory(), FrameworkFactory()
    GroupMappingFactory(claim_value="design", target=TargetKind.HR)
    GroupMappingFactory(claim_value="design", target=TargetKind.LEADS)
    GroupMappingFactory(claim_value="design", target=TargetKind.FRAMEWORK_EDITOR, framework=first)
    GroupMapping(
        claim_value="design", target=TargetKind.FRAMEWORK_EDITOR, framework=second
    ).full_clean()
    group = StakeholderGroupFactory()
    GroupMappingFactory(
        claim_value="design", target=TargetKind.STAKEHOLDER_GROUP, stakeholder_group=group
    )
    GroupMapping(
        claim_value="design",
        target=TargetKind.STAKEHOLDER_GROUP,
        stakeholder_group=StakeholderGroupFactory(),
    ).full_clean()


@pytest.mark.parametrize(
    "fields",
    [
        {"target": TargetKind.FRAMEWORK_EDITOR},
        {"target": TargetKind.HR, "framework": True},
        {"target": TargetKind.STAKEHOLDER_GROUP},
        {"target": TargetKind.STAKEHOLDER_GROUP, "framework": True},
        {"target": TargetKind.LEADS, "stakeholder_group": True},
        {"target": TargetKind.FRAMEWORK_EDITOR, "framework": True, "stakeholder_group": True},
    ],
)
def test_the_database_refuses_a_target_that_does_not_match_its_kind(fields):
    if fields.get("framework"):
        fields["framework"] = FrameworkFactory()
    if fields.get("stakeholder_group"):
        fields["stakeholder_group"] = StakeholderGroupFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMapping.objects.create(claim_value="x", **fields)


def test_a_subject_links_to_one_user_per_issuer():
    Identity.objects.create(user=UserFactory(), issuer="https://id.example.com", subject="s")

    with pytest.raises(ValidationError):
        Identity(user=UserFactory(), issuer="https://id.example.com", subject="s").full_clean()


def test_str_names_the_value_and_what_it_grants():
    framework = FrameworkFactory(name="Design")
    mapping = GroupMappingFactory(
        claim_value="ed", target=TargetKind.FRAMEWORK_EDITOR, framework=framework
    )

    assert str(mapping) == "ed → editor of a framework: Design"


def test_str_names_the_stakeholder_group():
    mapping = GroupMappingFactory(
        claim_value="leads", stakeholder=True, stakeholder_group__name="Design leads"
    )

    assert str(mapping) == "leads → member of a stakeholder group: Design leads"
