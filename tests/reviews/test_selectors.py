"""reviews.selectors: the inbox, seats with their decisions (and their query cost)."""

from __future__ import annotations

import datetime

import pytest

from reviews.selectors import (
    anchor_exists,
    inbox,
    latest_decision,
    policy_status,
    revision_list,
    round_with_seats,
    seats_of,
)
from reviews.services import (
    decision_record,
    reviewer_delegate,
    round_advance,
    round_close,
    round_open,
)
from tests.factories import PublishedFrameworkFactory, UserFactory, make_document
from tests.reviews.factories import (
    DELIVERY_LEAD,
    DESIGN_LEADS,
    HR,
    MANAGEMENT,
    SEEDED_GROUPS,
    STATEMENT,
    edit_draft,
    reword,
    save_revision,
    seat_of,
)


@pytest.fixture
def open_round_elsewhere(editor):
    """``open_round_elsewhere(reviewers, due_on)``: a round on r1 of a new framework."""

    def open_round(reviewers, due_on: datetime.date, name: str = "Elsewhere"):
        framework = PublishedFrameworkFactory(name=name, editors=[editor])
        revision = save_revision(framework, editor)
        return round_open(revision=revision, user=editor, reviewers=reviewers, due_on=due_on)

    return open_round


def test_anchor_exists_for_elements_of_the_document_only():
    document = make_document()

    assert anchor_exists(document, f"expectations:{STATEMENT}")
    assert anchor_exists(document, "positions:role-1.l2")
    assert not anchor_exists(document, "expectations:role-9.l1.comp-1.1")
    assert not anchor_exists(document, "widgets:role-1")
    assert not anchor_exists(document, "role-1")


def test_revision_list_is_newest_first_without_loading_documents(framework, editor):
    save_revision(framework, editor, "First")
    edit_draft(framework, reword(STATEMENT, "Changed."))
    save_revision(framework, editor, "Second")

    revisions = list(revision_list(framework))

    assert [r.label for r in revisions] == ["r2", "r1"]
    assert all("document" in r.get_deferred_fields() for r in revisions)


# --- inbox -------------------------------------------------------------------------------


def test_inbox_lists_open_rounds_the_user_reviews_or_decides_for_soonest_due_first(
    review_round, designer, manager, groups, today, open_round_elsewhere, editor
):
    later = open_round_elsewhere([(designer, groups[HR])], today + datetime.timedelta(days=20))
    sooner = open_round_elsewhere([(designer, groups[HR])], today + datetime.timedelta(days=2))
    as_delegate = open_round_elsewhere(
        [(manager, groups[MANAGEMENT])], today + datetime.timedelta(days=4)
    )
    reviewer_delegate(seat=seat_of(as_delegate, manager), delegate=designer, user=manager)
    closed = open_round_elsewhere([(designer, groups[HR])], today)
    round_close(round=closed, user=editor)
    open_round_elsewhere([(manager, groups[HR])], today)  # designer has no seat there

    rounds = list(inbox(designer))

    # review_round is due in 7 days.
    assert rounds == [sooner, as_delegate, review_round, later]
    assert list(inbox(manager))[0].pk != closed.pk


def test_inbox_tells_whether_the_user_decided_on_the_current_revision(
    framework, review_round, editor, designer, manager
):
    assert inbox(designer).get().my_decisions == 0

    decision_record(
        round=review_round, seat=seat_of(review_round, designer), user=designer, verdict="approve"
    )
    assert inbox(designer).get().my_decisions == 1
    assert inbox(manager).get().my_decisions == 0  # another reviewer's decision is not theirs

    edit_draft(framework, reword(STATEMENT, "Changed."))
    round_advance(round=review_round, revision=save_revision(framework, editor), user=editor)
    assert inbox(designer).get().my_decisions == 0  # decided on r1; the round is on r2


def test_inbox_counts_a_delegates_decision_for_the_delegate_and_the_reviewer(
    review_round, manager, designer
):
    deputy = UserFactory(username="deputy")
    seat = seat_of(review_round, manager)
    reviewer_delegate(seat=seat, delegate=deputy, user=manager)
    assert inbox(deputy).get().my_decisions == 0

    decision_record(round=review_round, seat=seat, user=deputy, verdict="approve")

    assert inbox(deputy).get().my_decisions == 1
    assert inbox(manager).get().my_decisions == 1
    assert inbox(designer).get().my_decisions == 0


def test_inbox_of_a_user_without_seats_is_empty(review_round, stranger, editor):
    assert list(inbox(stranger)) == []
    assert list(inbox(editor)) == []


# --- seats and their query cost ----------------------------------------------------------


def test_seats_carry_each_reviewers_latest_decision(review_round, designer, manager):
    seat = seat_of(review_round, designer)
    decision_record(
        round=review_round, seat=seat, user=designer, verdict="request_changes", note="x"
    )
    latest = decision_record(round=review_round, seat=seat, user=designer, verdict="approve")

    round = round_with_seats(review_round)
    seats = {s.name: s for s in seats_of(round)}

    assert latest_decision(next(r for r in round.reviewers.all() if r.user == designer)) == latest
    assert seats["Dana Designer"].verdict == "approve"
    assert seats["Dana Designer"].verdict_revision_id == review_round.revision_id
    assert not seats["Dana Designer"].decided_by_delegate
    assert seats["Max Manager"].verdict is None
    assert {s.group_name for s in seats.values()} == set(SEEDED_GROUPS)


@pytest.mark.parametrize("size", [2, 12])
def test_round_with_seats_costs_the_same_queries_for_2_or_12_reviewers(
    framework, revision, editor, groups, due_on, today, django_assert_num_queries, size
):
    names = [DESIGN_LEADS, DELIVERY_LEAD, HR, MANAGEMENT]
    users = [UserFactory(username=f"reviewer{i}") for i in range(size)]
    round = round_open(
        revision=revision,
        user=editor,
        reviewers=[(u, groups[names[i % 4]]) for i, u in enumerate(users)],
        due_on=due_on,
    )
    for i, user in enumerate(users):
        seat = seat_of(round, user)
        if i % 3 == 0:  # some decide through a delegate
            deputy = UserFactory(username=f"deputy{i}")
            reviewer_delegate(seat=seat, delegate=deputy, user=user)
            decision_record(round=round, seat=seat, user=deputy, verdict="approve")
        else:
            decision_record(round=round, seat=seat, user=user, verdict="request_changes", note="x")
            decision_record(round=round, seat=seat, user=user, verdict="approve")

    # 1. the round with its framework, revision and opener
    # 2. its reviewers with their users, delegates, groups and last seen revisions
    # 3. their decisions with revisions and deciders, newest first
    with django_assert_num_queries(3):
        seats = seats_of(round_with_seats(round))
    assert len(seats) == size
    assert all(s.verdict == "approve" for s in seats)
    assert [s.decided_by_delegate for s in seats].count(True) == len(range(0, size, 3))

    # The same three, then 4. the framework's approval rules with their groups
    with django_assert_num_queries(4):
        assert policy_status(round, today=today).satisfied
