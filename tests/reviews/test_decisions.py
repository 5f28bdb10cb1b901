"""decision_record and reviewer_delegate."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from reviews.models import Decision, Reviewer
from reviews.selectors import activity_list, policy_status
from reviews.services import (
    decision_record,
    policy_set,
    reviewer_delegate,
    round_advance,
    round_close,
)
from tests.factories import UserFactory
from tests.reviews.factories import (
    DESIGN_LEADS,
    STATEMENT,
    edit_draft,
    reword,
    save_revision,
    seat_of,
)


@pytest.fixture
def deputy(db):
    return UserFactory(username="deputy", first_name="Dee", last_name="Puty")


def test_reviewer_approves_the_rounds_current_revision(review_round, revision, designer):
    seat = seat_of(review_round, designer)

    decision = decision_record(round=review_round, seat=seat, user=designer, verdict="approve")

    assert (decision.reviewer, decision.revision, decision.verdict, decision.decided_by) == (
        seat,
        revision,
        "approve",
        designer,
    )
    seat.refresh_from_db()
    assert seat.last_seen_revision == revision
    entry = activity_list(review_round.framework).first()
    assert (entry.verb, entry.actor, entry.detail) == ("approved", designer, "Design leads")


def test_reviewer_requests_changes_with_a_note(review_round, designer):
    decision = decision_record(
        round=review_round,
        seat=seat_of(review_round, designer),
        user=designer,
        verdict="request_changes",
        note="  Level 2 reads like level 1.  ",
    )

    assert decision.note == "Level 2 reads like level 1."
    assert activity_list(review_round.framework).first().verb == "changes_requested"


@pytest.mark.parametrize("note", ["", "  "])
def test_request_changes_without_a_note_is_refused(review_round, designer, note):
    with pytest.raises(ValidationError) as excinfo:
        decision_record(
            round=review_round,
            seat=seat_of(review_round, designer),
            user=designer,
            verdict="request_changes",
            note=note,
        )

    assert "note" in excinfo.value.message_dict
    assert not Decision.objects.exists()


def test_unknown_verdict_is_refused(review_round, designer):
    with pytest.raises(ValidationError) as excinfo:
        decision_record(
            round=review_round, seat=seat_of(review_round, designer), user=designer, verdict="meh"
        )

    assert "verdict" in excinfo.value.message_dict


def test_delegates_decision_counts_for_the_reviewers_group_and_is_logged_for_them(
    framework, review_round, editor, groups, designer, deputy, today
):
    seat = seat_of(review_round, designer)
    reviewer_delegate(seat=seat, delegate=deputy, user=designer)
    policy_set(framework=framework, user=editor, rules=[(groups[DESIGN_LEADS], 1, False)])

    decision = decision_record(round=review_round, seat=seat, user=deputy, verdict="approve")

    assert decision.decided_by == deputy
    assert decision.reviewer == seat
    status = policy_status(review_round, today=today)
    assert status.satisfied
    (approval,) = status.groups[0].approved
    assert approval.decided_by_delegate
    entry = activity_list(framework).first()
    assert (entry.verb, entry.actor, entry.detail) == (
        "approved",
        deputy,
        "Design leads for designer",
    )


def test_a_stranger_cannot_decide(review_round, designer, stranger):
    with pytest.raises(ValidationError, match="cannot decide for this reviewer"):
        decision_record(
            round=review_round,
            seat=seat_of(review_round, designer),
            user=stranger,
            verdict="approve",
        )

    assert not Decision.objects.exists()


def test_a_reviewer_cannot_decide_on_another_reviewers_seat(review_round, designer, manager):
    with pytest.raises(ValidationError, match="cannot decide for this reviewer"):
        decision_record(
            round=review_round,
            seat=seat_of(review_round, designer),
            user=manager,
            verdict="approve",
        )


def test_a_withdrawn_delegate_can_no_longer_decide(review_round, designer, deputy):
    seat = seat_of(review_round, designer)
    reviewer_delegate(seat=seat, delegate=deputy, user=designer)
    reviewer_delegate(seat=seat, delegate=None, user=designer)

    with pytest.raises(ValidationError):
        decision_record(round=review_round, seat=seat, user=deputy, verdict="approve")


def test_a_decision_on_a_closed_round_is_refused_and_changes_nothing(
    review_round, editor, designer
):
    seat = seat_of(review_round, designer)
    round_close(round=review_round, user=editor)
    log_size = activity_list(review_round.framework).count()

    with pytest.raises(ValidationError) as excinfo:
        decision_record(round=review_round, seat=seat, user=designer, verdict="approve")

    assert excinfo.value.messages == ["This review round is closed without publishing."]
    assert not Decision.objects.exists()
    assert Reviewer.objects.get(pk=seat.pk).last_seen_revision is None
    assert activity_list(review_round.framework).count() == log_size


def test_the_latest_decision_counts(review_round, designer, today):
    seat = seat_of(review_round, designer)
    decision_record(
        round=review_round, seat=seat, user=designer, verdict="request_changes", note="No."
    )
    decision_record(round=review_round, seat=seat, user=designer, verdict="approve")

    (design,) = [g for g in policy_status(review_round, today=today).groups if g.satisfied]
    assert design.rule.group_name == "Design leads"


def test_approvals_go_stale_when_the_round_moves_to_a_newer_revision(
    framework, review_round, editor, approve_all, today
):
    approve_all(review_round)
    assert policy_status(review_round, today=today).satisfied
    edit_draft(framework, reword(STATEMENT, "Changed."))
    r2 = save_revision(framework, editor, "Second")

    round_advance(round=review_round, revision=r2, user=editor)

    status = policy_status(review_round, today=today)
    assert not status.satisfied
    assert all(len(g.stale) == 1 and not g.approved for g in status.groups)
    assert "Design leads: 0 of 1 approval on this revision." in status.blockers


def test_decisions_after_advancing_are_on_the_new_revision(
    framework, review_round, editor, designer
):
    edit_draft(framework, reword(STATEMENT, "Changed."))
    r2 = save_revision(framework, editor, "Second")
    round_advance(round=review_round, revision=r2, user=editor)

    decision = decision_record(
        round=review_round, seat=seat_of(review_round, designer), user=designer, verdict="approve"
    )

    assert decision.revision == r2


# --- delegation --------------------------------------------------------------------------


def test_reviewer_delegates_and_the_delegate_is_emailed(
    review_round, designer, deputy, mailoutbox, django_capture_on_commit_callbacks
):
    seat = seat_of(review_round, designer)

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_delegate(seat=seat, delegate=deputy, user=designer)

    assert Reviewer.objects.get(pk=seat.pk).delegate == deputy
    (message,) = mailoutbox
    assert message.to == [deputy.email]
    assert "counts for Design leads" in message.body
    entry = activity_list(review_round.framework).first()
    assert (entry.verb, entry.actor, entry.detail) == ("delegated", designer, "to deputy")


def test_only_the_reviewer_can_delegate_and_not_to_themselves(review_round, designer, deputy):
    seat = seat_of(review_round, designer)

    with pytest.raises(ValidationError, match="Only the reviewer"):
        reviewer_delegate(seat=seat, delegate=deputy, user=deputy)
    with pytest.raises(ValidationError):
        reviewer_delegate(seat=seat, delegate=designer, user=designer)
    assert Reviewer.objects.get(pk=seat.pk).delegate is None


def test_a_delegate_cannot_already_hold_a_seat_in_the_round(review_round, designer, delivery):
    """One person, one voice: delegating to another reviewer would let them count twice."""
    seat = seat_of(review_round, designer)
    with pytest.raises(ValidationError, match="already decides in this round"):
        reviewer_delegate(seat=seat, delegate=delivery, user=designer)
    seat.refresh_from_db()
    assert seat.delegate is None
