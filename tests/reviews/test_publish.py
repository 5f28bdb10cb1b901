"""round_publish: what blocks it, what it writes, lazy consensus, and publishing once."""

from __future__ import annotations

import datetime
import random
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from reviews.models import Activity, ReviewRound, RoundStatus
from reviews.selectors import activity_list
from reviews.services import (
    PublishBlocked,
    decision_record,
    policy_set,
    revision_restore,
    round_advance,
    round_open,
    round_publish,
)
from roles.models import FrameworkVersion, VersionStatus
from roles.serialization import document_from_version
from tests.reviews.factories import (
    DELIVERY_LEAD,
    DESIGN_LEADS,
    HR,
    MANAGEMENT,
    STATEMENT,
    edit_draft,
    reword,
    save_revision,
    seat_of,
)


def versions(framework) -> list[tuple[int, str, int | None]]:
    return list(
        FrameworkVersion.objects.filter(framework=framework, number__isnull=False)
        .order_by("number")
        .values_list("number", "status", "from_revision")
    )


def test_publish_is_blocked_while_the_policy_is_unmet(framework, review_round, editor, designer):
    decision_record(
        round=review_round, seat=seat_of(review_round, designer), user=designer, verdict="approve"
    )

    with pytest.raises(PublishBlocked) as excinfo:
        round_publish(round=review_round, user=editor)

    assert excinfo.value.reasons == [
        "Delivery lead: 0 of 1 approval on this revision.",
        "HR: 0 of 1 approval on this revision.",
        "Management: 0 of 1 approval on this revision.",
    ]
    assert versions(framework) == [(1, "published", None)]
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.OPEN


def test_publish_is_blocked_by_a_request_for_changes(review_round, editor, people, approve_all):
    approve_all(review_round)
    decision_record(
        round=review_round,
        seat=seat_of(review_round, people),
        user=people,
        verdict="request_changes",
        note="Pay bands are off.",
    )

    with pytest.raises(PublishBlocked) as excinfo:
        round_publish(round=review_round, user=editor)

    assert excinfo.value.reasons == ["HR: changes requested by Pat People."]


def test_publish_is_blocked_when_a_newer_revision_exists(
    framework, review_round, revision, editor, approve_all
):
    approve_all(review_round)
    edit_draft(framework, reword(STATEMENT, "Changed."))
    save_revision(framework, editor, "Second")
    revision_restore(revision=revision, user=editor)  # the draft holds r1 again

    with pytest.raises(PublishBlocked) as excinfo:
        round_publish(round=review_round, user=editor)

    (reason,) = excinfo.value.reasons
    assert reason.startswith("A newer revision (r2) exists")
    assert versions(framework) == [(1, "published", None)]


def test_publish_is_blocked_when_the_draft_differs_from_the_revision(
    framework, review_round, editor, approve_all
):
    approve_all(review_round)
    edit_draft(framework, reword(STATEMENT, "Edited after the review."))

    with pytest.raises(PublishBlocked) as excinfo:
        round_publish(round=review_round, user=editor)

    (reason,) = excinfo.value.reasons
    assert reason.startswith("The draft has changed since r1")
    assert versions(framework) == [(1, "published", None)]


def test_publish_creates_the_next_version_from_the_revision_and_closes_the_round(
    framework,
    editor,
    reviewers,
    due_on,
    approve_all,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    edit_draft(framework, reword(STATEMENT, "Reviewed wording."))
    revision = save_revision(framework, editor, "Reviewed wording")
    round = round_open(revision=revision, user=editor, reviewers=reviewers, due_on=due_on)
    approve_all(round)

    with django_capture_on_commit_callbacks(execute=True):
        version = round_publish(round=round, user=editor)

    assert (version.number, version.status, version.from_revision) == (2, "published", 1)
    assert version.published_by == editor
    assert document_from_version(version) == revision.document
    assert versions(framework) == [(1, "archived", None), (2, "published", 1)]
    assert round.status == RoundStatus.PUBLISHED
    assert round.closed_at is not None
    entry = activity_list(framework).first()
    assert (entry.verb, entry.actor, entry.round, entry.revision, entry.detail) == (
        "published",
        editor,
        round,
        revision,
        "r1 as v2",
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u, _ in reviewers)
    assert {m.subject for m in mailoutbox} == {"Published: Product Design v2"}
    assert "published as version 2" in mailoutbox[0].body


def test_publish_after_advancing_publishes_the_newer_revision(
    framework, review_round, editor, approve_all
):
    approve_all(review_round)
    edit_draft(framework, reword(STATEMENT, "Changed."))
    r2 = save_revision(framework, editor, "Second")
    round_advance(round=review_round, revision=r2, user=editor)
    approve_all(review_round)

    version = round_publish(round=review_round, user=editor)

    assert version.from_revision == 2
    assert document_from_version(version) == r2.document


def test_publish_follows_the_frameworks_policy(framework, review_round, editor, groups, designer):
    policy_set(framework=framework, user=editor, rules=[(groups[DESIGN_LEADS], 1, False)])
    decision_record(
        round=review_round, seat=seat_of(review_round, designer), user=designer, verdict="approve"
    )

    assert round_publish(round=review_round, user=editor).from_revision == 1


def test_lazy_consensus_group_counts_after_the_due_date_and_is_logged(
    framework, review_round, editor, groups, reviewers, due_on
):
    policy_set(
        framework=framework,
        user=editor,
        rules=[
            (groups[DESIGN_LEADS], 1, False),
            (groups[DELIVERY_LEAD], 1, False),
            (groups[HR], 1, False),
            (groups[MANAGEMENT], 1, True),
        ],
    )
    for user, group in reviewers:
        if group.name != MANAGEMENT:
            seat = seat_of(review_round, user)
            decision_record(round=review_round, seat=seat, user=user, verdict="approve")

    with pytest.raises(PublishBlocked) as excinfo:
        round_publish(round=review_round, user=editor, today=due_on)
    assert excinfo.value.reasons == ["Management: 0 of 1 approval on this revision."]
    assert not Activity.objects.filter(verb="lazy_approval").exists()

    version = round_publish(
        round=review_round, user=editor, today=due_on + datetime.timedelta(days=1)
    )

    assert version.from_revision == 1
    lazy = Activity.objects.get(verb="lazy_approval")
    assert lazy.actor is None
    assert lazy.round == review_round
    assert lazy.detail == f"Management: no objection by {due_on:%d %b %Y}"
    log = [a.verb for a in activity_list(framework)[:2]]
    assert log == ["published", "lazy_approval"]


def test_lazy_consensus_group_that_objected_still_blocks_after_the_due_date(
    framework, review_round, editor, groups, manager, due_on
):
    policy_set(framework=framework, user=editor, rules=[(groups[MANAGEMENT], 1, True)])
    decision_record(
        round=review_round,
        seat=seat_of(review_round, manager),
        user=manager,
        verdict="request_changes",
        note="Not yet.",
    )

    with pytest.raises(PublishBlocked) as excinfo:
        round_publish(round=review_round, user=editor, today=due_on + datetime.timedelta(days=9))

    assert excinfo.value.reasons == ["Management: changes requested by Max Manager."]


def test_publishing_twice_is_refused(framework, review_round, editor, approve_all):
    approve_all(review_round)
    round_publish(round=review_round, user=editor)

    with pytest.raises(ValidationError, match="This review round is published"):
        round_publish(round=review_round, user=editor)

    assert versions(framework) == [(1, "archived", None), (2, "published", 1)]


def test_a_revision_can_be_published_only_once_by_the_database(framework):
    def version(number: int, from_revision: int | None) -> FrameworkVersion:
        return FrameworkVersion(
            framework=framework,
            number=number,
            status=VersionStatus.ARCHIVED,
            published_at=timezone.now(),
            from_revision=from_revision,
        )

    version(2, from_revision=1).save()
    version(3, from_revision=None).save()  # v1 has no revision either: NULLs never clash
    version(4, from_revision=2).save()

    with pytest.raises(IntegrityError, match="from_revision"), transaction.atomic():
        version(5, from_revision=1).save()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_publishes_produce_exactly_one_version(
    framework, review_round, editor, approve_all
):
    approve_all(review_round)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def publish() -> None:
        try:
            round = ReviewRound.objects.get(pk=review_round.pk)  # on this thread's connection
            barrier.wait(timeout=10)
            outcomes.append(_publish_retrying_sqlite_locks(round, editor))
        except Exception as error:  # noqa: BLE001 - every outcome is asserted below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    published = [o for o in outcomes if isinstance(o, FrameworkVersion)]
    failed = [o for o in outcomes if isinstance(o, Exception)]
    assert len(published) == 1, outcomes
    assert len(failed) == 1, outcomes
    assert versions(framework) == [(1, "archived", None), (2, "published", 1)]
    if connection.vendor == "postgresql":
        # The loser waits for the winner's row lock, then finds the round published.
        (error,) = failed
        assert isinstance(error, ValidationError)
        assert error.messages == ["This review round is published."]


def _publish_retrying_sqlite_locks(round: ReviewRound, user) -> FrameworkVersion:
    """SQLite's shared in-memory test database has no row locks: a concurrent writer makes
    the other transaction fail with "database table is locked", sometimes both at once.
    Like a user clicking again, retry those (never other errors) after a random pause."""
    for _ in range(20):
        try:
            return round_publish(round=round, user=user)
        except OperationalError:
            if connection.vendor != "sqlite":
                raise
            time.sleep(random.uniform(0.01, 0.1))  # noqa: S311 - jitter, not crypto
    return round_publish(round=round, user=user)
