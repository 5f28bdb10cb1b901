"""policy_set: a framework's approval policy, replaced as a whole."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from reviews.models import ApprovalRule, StakeholderGroup
from reviews.selectors import activity_list, policy_status
from reviews.services import policy_set
from tests.reviews.factories import DESIGN_LEADS, HR, MANAGEMENT, SEEDED_GROUPS


def test_the_migration_seeds_the_four_stakeholder_groups(db):
    assert sorted(StakeholderGroup.objects.values_list("name", flat=True)) == sorted(SEEDED_GROUPS)


def test_policy_set_replaces_the_frameworks_rules(framework, editor, groups):
    policy_set(framework=framework, user=editor, rules=[(groups[HR], 1, False)])

    policy_set(
        framework=framework,
        user=editor,
        rules=[(groups[DESIGN_LEADS], 2, False), (groups[MANAGEMENT], 1, True)],
    )

    rules = ApprovalRule.objects.filter(framework=framework)
    assert [(r.group.name, r.approvals, r.lazy_consensus) for r in rules] == [
        (DESIGN_LEADS, 2, False),
        (MANAGEMENT, 1, True),
    ]
    entry = activity_list(framework).first()
    assert (entry.verb, entry.detail) == (
        "policy_changed",
        "Design leads ×2; Management ×1 (lazy consensus)",
    )


def test_policy_set_refuses_a_group_twice(framework, editor, groups):
    policy_set(framework=framework, user=editor, rules=[(groups[HR], 1, False)])

    with pytest.raises(ValidationError, match="once"):
        policy_set(
            framework=framework,
            user=editor,
            rules=[(groups[HR], 1, False), (groups[HR], 2, True)],
        )

    assert [r.approvals for r in ApprovalRule.objects.filter(framework=framework)] == [1]


def test_policy_set_refuses_zero_approvals(framework, editor, groups):
    with pytest.raises(ValidationError, match="at least one"):
        policy_set(framework=framework, user=editor, rules=[(groups[HR], 0, False)])


def test_empty_policy_falls_back_to_one_approval_per_group_present(
    framework, review_round, editor, groups, today
):
    policy_set(framework=framework, user=editor, rules=[(groups[HR], 1, False)])
    policy_set(framework=framework, user=editor, rules=[])

    status = policy_status(review_round, today=today)

    assert not ApprovalRule.objects.filter(framework=framework).exists()
    assert status.default_policy
    assert [g.rule.group_name for g in status.groups] == [
        "Delivery lead",
        "Design leads",
        "HR",
        "Management",
    ]
    assert activity_list(framework).first().detail == "no rules"
