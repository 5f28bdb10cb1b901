"""reviews.policy.evaluate: pure, no database."""

from __future__ import annotations

import datetime

from reviews.policy import Rule, Seat, evaluate

DUE = datetime.date(2026, 3, 10)
BEFORE_DUE = datetime.date(2026, 3, 1)
CURRENT, OLDER = 7, 6  # revision ids

DESIGN = (1, "Design leads")
HR = (2, "HR")
MANAGEMENT = (3, "Management")


def rule(group: tuple[int, str], approvals: int = 1, lazy: bool = False) -> Rule:
    return Rule(group[0], group[1], approvals, lazy)


def seat(
    reviewer_id: int,
    group: tuple[int, str],
    verdict: str | None = None,
    revision_id: int | None = CURRENT,
) -> Seat:
    return Seat(
        reviewer_id=reviewer_id,
        name=f"reviewer{reviewer_id}",
        group_id=group[0],
        group_name=group[1],
        verdict=verdict,
        verdict_revision_id=revision_id if verdict else None,
    )


def run(rules, seats, today=BEFORE_DUE):
    return evaluate(rules=rules, seats=seats, revision_id=CURRENT, due_on=DUE, today=today)


def test_group_is_satisfied_by_enough_approvals_on_the_current_revision():
    status = run([rule(DESIGN, 2)], [seat(1, DESIGN, "approve"), seat(2, DESIGN, "approve")])

    (group,) = status.groups
    assert group.satisfied and not group.by_lazy_consensus
    assert [s.reviewer_id for s in group.approved] == [1, 2]
    assert group.missing == 0
    assert status.satisfied
    assert status.blockers == []


def test_group_with_fewer_approvals_than_the_rule_asks_is_not_satisfied():
    status = run([rule(DESIGN, 2)], [seat(1, DESIGN, "approve"), seat(2, DESIGN)])

    (group,) = status.groups
    assert not group.satisfied
    assert group.missing == 1
    assert [s.reviewer_id for s in group.pending] == [2]
    assert not status.satisfied
    assert status.blockers == ["Design leads: 1 of 2 approvals on this revision."]


def test_approvals_on_an_older_revision_are_stale_and_do_not_count():
    status = run([rule(DESIGN)], [seat(1, DESIGN, "approve", revision_id=OLDER)])

    (group,) = status.groups
    assert not group.satisfied
    assert group.approved == []
    assert [s.reviewer_id for s in group.stale] == [1]
    # Stale reviewers still have to decide on the current revision.
    assert [s.reviewer_id for s in group.pending] == [1]
    assert status.blockers == ["Design leads: 0 of 1 approval on this revision."]


def test_request_changes_blocks_the_group_even_with_enough_approvals():
    status = run(
        [rule(DESIGN, 1)],
        [seat(1, DESIGN, "approve"), seat(2, DESIGN, "request_changes"), seat(3, DESIGN)],
    )

    (group,) = status.groups
    assert not group.satisfied
    assert [s.reviewer_id for s in group.objected] == [2]
    assert status.blockers == ["Design leads: changes requested by reviewer2."]


def test_request_changes_on_an_older_revision_no_longer_blocks():
    status = run(
        [rule(DESIGN)],
        [seat(1, DESIGN, "approve"), seat(2, DESIGN, "request_changes", revision_id=OLDER)],
    )

    assert status.groups[0].objected == []
    assert status.satisfied


def test_lazy_consensus_group_approves_only_after_the_due_date():
    rules = [rule(MANAGEMENT, lazy=True)]
    seats = [seat(1, MANAGEMENT)]

    assert not run(rules, seats, today=BEFORE_DUE).satisfied
    assert not run(rules, seats, today=DUE).satisfied  # the due day itself is still open
    after = run(rules, seats, today=DUE + datetime.timedelta(days=1))
    assert after.satisfied
    assert after.groups[0].by_lazy_consensus


def test_lazy_consensus_does_not_override_an_objection():
    status = run(
        [rule(MANAGEMENT, lazy=True)],
        [seat(1, MANAGEMENT, "request_changes"), seat(2, MANAGEMENT)],
        today=DUE + datetime.timedelta(days=30),
    )

    assert not status.satisfied
    assert not status.groups[0].by_lazy_consensus
    assert status.blockers == ["Management: changes requested by reviewer1."]


def test_lazy_consensus_counts_a_stale_objection_as_no_objection():
    status = run(
        [rule(MANAGEMENT, lazy=True)],
        [seat(1, MANAGEMENT, "request_changes", revision_id=OLDER)],
        today=DUE + datetime.timedelta(days=1),
    )

    assert status.satisfied
    assert status.groups[0].by_lazy_consensus


def test_lazy_consensus_needs_a_reviewer_of_the_group_in_the_round():
    status = run([rule(MANAGEMENT, lazy=True)], [], today=DUE + datetime.timedelta(days=1))

    assert not status.satisfied
    assert status.blockers == ["Management: no reviewer from this group is in the round."]


def test_enough_approvals_satisfy_a_lazy_group_before_the_due_date_without_lazy_flag():
    status = run([rule(MANAGEMENT, lazy=True)], [seat(1, MANAGEMENT, "approve")])

    assert status.satisfied
    assert not status.groups[0].by_lazy_consensus


def test_default_policy_without_rules_needs_one_approval_per_group_present():
    seats = [
        seat(1, HR, "approve"),
        seat(2, DESIGN, "approve"),
        seat(3, DESIGN),  # one approval is enough for the group
        seat(4, MANAGEMENT),
    ]

    status = run([], seats)

    assert status.default_policy
    # Groups in name order, each needing one approval; groups with no reviewer are not asked.
    assert [(g.rule.group_name, g.rule.approvals) for g in status.groups] == [
        ("Design leads", 1),
        ("HR", 1),
        ("Management", 1),
    ]
    assert [g.satisfied for g in status.groups] == [True, True, False]
    assert status.blockers == ["Management: 0 of 1 approval on this revision."]
    assert run([], [*seats[:3], seat(4, MANAGEMENT, "approve")]).satisfied


def test_default_policy_without_reviewers_is_never_satisfied():
    status = run([], [])

    assert status.default_policy
    assert not status.satisfied
    assert status.blockers == [
        "No stakeholder group is asked to approve: add reviewers or a policy."
    ]


def test_reviewers_of_groups_outside_the_policy_neither_count_nor_block():
    status = run([rule(DESIGN)], [seat(1, DESIGN, "approve"), seat(2, HR, "request_changes")])

    assert not status.default_policy
    assert [g.rule.group_name for g in status.groups] == ["Design leads"]
    assert status.satisfied


def test_policy_is_satisfied_only_when_every_group_is_and_blockers_name_each_one():
    rules = [rule(DESIGN, 2), rule(HR), rule(MANAGEMENT)]
    seats = [
        seat(1, DESIGN, "approve"),
        seat(2, DESIGN, "approve", revision_id=OLDER),
        seat(3, HR, "approve"),
        seat(4, MANAGEMENT, "request_changes"),
    ]

    status = run(rules, seats)

    assert [g.satisfied for g in status.groups] == [False, True, False]
    assert not status.satisfied
    assert status.blockers == [
        "Design leads: 1 of 2 approvals on this revision.",
        "Management: changes requested by reviewer4.",
    ]
