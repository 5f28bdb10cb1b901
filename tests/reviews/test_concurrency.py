"""Concurrency: parallel edits of one draft element lose no update; parallel decisions count once.

(Parallel publishing is in test_publish.py.) Each test runs real threads, each with its own
database connection, released together by a barrier. On PostgreSQL the row locks decide; the
shared in-memory SQLite test database has no row locks and answers "database table is
locked" to a concurrent writer, which is retried like a user clicking again.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection

from reviews.models import Decision, ReviewRound
from reviews.selectors import policy_status
from reviews.services import decision_record
from roles.editing import ConflictError, fingerprint
from roles.editing.statements import expectation_update
from roles.models import Expectation
from roles.services import draft_get
from tests.reviews.factories import STATEMENT, seat_of

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(tasks: list[Callable[[], object]]) -> list[object]:
    """Start every task at the same moment on its own thread; each one's result or error."""
    barrier = threading.Barrier(len(tasks))
    outcomes: list[object] = [None] * len(tasks)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            for _attempt in range(30):
                try:
                    outcomes[index] = tasks[index]()
                    return
                except OperationalError:
                    if connection.vendor != "sqlite":
                        raise
                    time.sleep(random.uniform(0.01, 0.05))
            raise AssertionError("still locked after 30 attempts")
        except Exception as error:  # noqa: BLE001 - every outcome is asserted by the caller
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(tasks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_parallel_edits_of_one_statement_lose_no_update(framework):
    """Four editors save the statement they all loaded: one wins, three get a conflict."""
    draft = draft_get(framework=framework)
    loaded = fingerprint(Expectation.objects.get(version=draft, key=STATEMENT))
    texts = [f"Reworded by editor {n}." for n in range(4)]

    def save(text: str) -> Callable[[], object]:
        def task() -> object:
            return expectation_update(
                draft=draft_get(framework=framework),
                key=STATEMENT,
                fingerprint=loaded,
                text=text,
                sub_role=None,
            )

        return task

    outcomes = run_together([save(text) for text in texts])

    saved = [o for o in outcomes if isinstance(o, Expectation)]
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(saved) == 1 and len(conflicts) == 3, outcomes
    stored = Expectation.objects.get(version=draft_get(framework=framework), key=STATEMENT)
    assert stored.text == saved[0].text  # the winner's words, not overwritten by a loser
    # Every loser was shown the winner's version to merge with: nothing silently lost.
    assert all(c.element.text == stored.text for c in conflicts)


def test_parallel_edits_of_different_statements_all_land(framework):
    draft = draft_get(framework=framework)
    statements = list(Expectation.objects.filter(version=draft).order_by("pk")[:4])

    def save(statement: Expectation) -> Callable[[], object]:
        def task() -> object:
            return expectation_update(
                draft=draft_get(framework=framework),
                key=statement.key,
                fingerprint=fingerprint(statement),
                text=f"New words for {statement.key}.",
                sub_role=None,
            )

        return task

    outcomes = run_together([save(s) for s in statements])

    assert all(isinstance(o, Expectation) for o in outcomes), outcomes
    for statement in statements:
        statement.refresh_from_db()
        assert statement.text == f"New words for {statement.key}."


def test_a_double_clicked_approval_counts_once(review_round, designer, today):
    seat = seat_of(review_round, designer)

    def approve() -> object:
        round = ReviewRound.objects.get(pk=review_round.pk)
        return decision_record(round=round, seat=seat, user=designer, verdict="approve")

    outcomes = run_together([approve, approve, approve])

    assert all(isinstance(o, Decision) for o in outcomes), outcomes
    status = policy_status(ReviewRound.objects.get(pk=review_round.pk), today=today)
    approved = [s for group in status.groups for s in group.approved]
    assert [s.reviewer_id for s in approved] == [seat.pk]


def test_parallel_decisions_of_different_reviewers_are_all_counted(review_round, reviewers, today):
    users = [user for user, _group in reviewers]

    def approve(user) -> Callable[[], object]:
        def task() -> object:
            round = ReviewRound.objects.get(pk=review_round.pk)
            seat = seat_of(round, user)
            return decision_record(round=round, seat=seat, user=user, verdict="approve")

        return task

    outcomes = run_together([approve(user) for user in users])

    assert all(isinstance(o, Decision) for o in outcomes), outcomes
    status = policy_status(ReviewRound.objects.get(pk=review_round.pk), today=today)
    approved = {s.reviewer_id for group in status.groups for s in group.approved}
    assert approved == {seat_of(review_round, user).pk for user in users}
    assert status.satisfied
