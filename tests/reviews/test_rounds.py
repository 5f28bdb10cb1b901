"""round_open, round_advance, round_close, and the activity log of a whole review."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from reviews.models import Activity, Reviewer, ReviewRound, RoundStatus
from reviews.selectors import activity_list
from reviews.services import (
    comment_create,
    decision_record,
    policy_set,
    round_advance,
    round_close,
    round_open,
)
from tests.factories import PublishedFrameworkFactory
from tests.reviews.factories import (
    DESIGN_LEADS,
    HR,
    OTHER_STATEMENT,
    STATEMENT,
    edit_draft,
    reword,
    save_revision,
    seat_of,
)

BASE_URL = "https://careers.example.com"


def test_opening_a_round_seats_each_reviewer_in_their_group(review_round, revision, reviewers):
    seats = Reviewer.objects.filter(round=review_round)

    assert review_round.status == RoundStatus.OPEN
    assert review_round.revision == revision
    assert review_round.message == "Please look"
    assert {(s.user, s.group) for s in seats} == set(reviewers)
    assert all(s.delegate is None and s.last_seen_revision is None for s in seats)


def test_opening_a_round_emails_each_reviewer_a_link_to_decide(
    revision, editor, reviewers, due_on, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.CAREERFRAME_BASE_URL = BASE_URL
    with django_capture_on_commit_callbacks(execute=True):
        round = round_open(revision=revision, user=editor, reviewers=reviewers, due_on=due_on)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u, _ in reviewers)
    assert all(len(m.to) == 1 for m in mailoutbox)
    decision_url = BASE_URL + reverse(
        "reviews:decision-create", kwargs={"slug": round.framework.slug, "pk": round.pk}
    )
    round_url = BASE_URL + reverse(
        "reviews:round-detail", kwargs={"slug": round.framework.slug, "pk": round.pk}
    )
    for message in mailoutbox:
        assert message.subject == f"Review requested: Product Design r1, due {due_on:%d %b}"
        assert "Product Design r1" in message.body
        assert f"{due_on.day} {due_on:%B %Y}" in message.body
        assert decision_url in message.body
        assert round_url in message.body
    (to_designer,) = [m for m in mailoutbox if m.to == ["designer@example.com"]]
    assert "as Design leads" in to_designer.body
    assert "Edith Editor asks you" in to_designer.body


def test_a_second_open_round_for_the_framework_is_refused_and_nothing_is_written(
    review_round,
    revision,
    editor,
    designer,
    groups,
    due_on,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    before = (ReviewRound.objects.count(), Reviewer.objects.count(), Activity.objects.count())

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError, match="already open"),
    ):
        round_open(
            revision=revision,
            user=editor,
            reviewers=[(designer, groups[HR])],
            due_on=due_on,
        )

    after = (ReviewRound.objects.count(), Reviewer.objects.count(), Activity.objects.count())
    assert after == before
    assert callbacks == []
    assert mailoutbox == []


def test_the_database_allows_one_open_round_per_framework(review_round, revision, due_on):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRound.objects.create(framework=revision.framework, revision=revision, due_on=due_on)


def test_a_new_round_can_open_once_the_previous_one_is_closed(
    review_round, revision, editor, reviewers, due_on
):
    round_close(round=review_round, user=editor)

    again = round_open(revision=revision, user=editor, reviewers=reviewers, due_on=due_on)

    assert again.is_open
    assert ReviewRound.objects.open().get() == again


def test_rounds_of_different_frameworks_are_independent(review_round, editor, reviewers, due_on):
    other = PublishedFrameworkFactory(editors=[editor])
    revision = save_revision(other, editor)

    assert round_open(revision=revision, user=editor, reviewers=reviewers, due_on=due_on).is_open


def test_due_date_in_the_past_is_refused(revision, editor, reviewers, today):
    with pytest.raises(ValidationError) as excinfo:
        round_open(
            revision=revision,
            user=editor,
            reviewers=reviewers,
            due_on=today - datetime.timedelta(days=1),
        )

    assert "due_on" in excinfo.value.message_dict
    assert not ReviewRound.objects.exists()


def test_due_today_is_accepted(revision, editor, reviewers, today):
    assert round_open(revision=revision, user=editor, reviewers=reviewers, due_on=today).is_open


def test_the_same_person_cannot_hold_two_seats(revision, editor, designer, groups, due_on):
    with pytest.raises(ValidationError) as excinfo:
        round_open(
            revision=revision,
            user=editor,
            reviewers=[(designer, groups[DESIGN_LEADS]), (designer, groups[HR])],
            due_on=due_on,
        )

    assert "reviewers" in excinfo.value.message_dict
    assert not ReviewRound.objects.exists()


def test_a_round_needs_reviewers(revision, editor, due_on):
    with pytest.raises(ValidationError) as excinfo:
        round_open(revision=revision, user=editor, reviewers=[], due_on=due_on)

    assert "reviewers" in excinfo.value.message_dict


# --- advance and close -------------------------------------------------------------------


def test_advancing_moves_the_round_to_the_newer_revision(framework, review_round, editor):
    edit_draft(framework, reword(STATEMENT, "Changed."))
    r2 = save_revision(framework, editor, "Second")

    round_advance(round=review_round, revision=r2, user=editor)

    assert review_round.revision == r2
    assert ReviewRound.objects.get(pk=review_round.pk).revision == r2
    entry = activity_list(framework).first()
    assert (entry.verb, entry.detail) == ("round_advanced", "from r1 to r2")


def test_advancing_to_the_same_or_an_older_revision_is_refused(
    framework, review_round, revision, editor
):
    with pytest.raises(ValidationError, match="pick a newer revision"):
        round_advance(round=review_round, revision=revision, user=editor)


def test_advancing_to_another_frameworks_revision_is_refused(review_round, editor):
    other = PublishedFrameworkFactory(editors=[editor])
    edit_draft(other, reword(STATEMENT, "Changed."))
    save_revision(other, editor, "r1 elsewhere")
    edit_draft(other, reword(STATEMENT, "Changed again."))
    foreign = save_revision(other, editor, "r2 elsewhere")

    with pytest.raises(ValidationError, match="another framework"):
        round_advance(round=review_round, revision=foreign, user=editor)


def test_advancing_emails_what_changed_since_each_reviewer_last_looked(
    framework,
    review_round,
    editor,
    designer,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.CAREERFRAME_BASE_URL = BASE_URL
    decision_record(
        round=review_round, seat=seat_of(review_round, designer), user=designer, verdict="approve"
    )
    edit_draft(framework, reword(STATEMENT, "Changed."))
    r2 = save_revision(framework, editor, "Sharper wording")

    with django_capture_on_commit_callbacks(execute=True):
        round_advance(round=review_round, revision=r2, user=editor)

    assert len(mailoutbox) == 4
    (message,) = [m for m in mailoutbox if m.to == ["designer@example.com"]]
    assert message.subject == "New revision to review: Product Design r2"
    assert "moved from r1 to r2" in message.body
    assert "(r1 → r2): 1 change." in message.body
    assert "changed: Statement: Level 1 Role 1 › Competency 1" in message.body


def test_closing_a_round_ends_it_without_publishing(review_round, editor, framework):
    round_close(round=review_round, user=editor)

    assert review_round.status == RoundStatus.CLOSED
    assert review_round.closed_at is not None
    assert activity_list(framework).first().verb == "round_closed"
    with pytest.raises(ValidationError, match="closed without publishing"):
        round_close(round=review_round, user=editor)


def test_the_activity_log_records_each_step_in_order(
    framework, editor, designer, groups, reviewers, due_on
):
    r1 = save_revision(framework, editor, "First draft")
    policy_set(framework=framework, user=editor, rules=[(groups[DESIGN_LEADS], 1, False)])
    round = round_open(revision=r1, user=editor, reviewers=reviewers[:2], due_on=due_on)
    comment_create(
        round=round, user=designer, body="Too vague.", anchor=f"expectations:{STATEMENT}"
    )
    decision_record(
        round=round,
        seat=seat_of(round, designer),
        user=designer,
        verdict="request_changes",
        note="See my comment.",
    )
    edit_draft(framework, reword(OTHER_STATEMENT, "Clearer."))
    r2 = save_revision(framework, editor, "Clearer wording")
    round_advance(round=round, revision=r2, user=editor)
    decision_record(round=round, seat=seat_of(round, designer), user=designer, verdict="approve")
    round_close(round=round, user=editor)

    log = [
        (a.verb, a.actor.username, a.revision.label if a.revision else None, a.detail)
        for a in reversed(activity_list(framework))
    ]
    assert log == [
        ("revision_saved", "editor", "r1", "First draft"),
        ("policy_changed", "editor", None, "Design leads ×1"),
        ("round_opened", "editor", "r1", f"2 reviewer(s), due {due_on:%d %b %Y}"),
        ("commented", "designer", "r1", f"expectations:{STATEMENT}"),
        ("changes_requested", "designer", "r1", "Design leads"),
        ("revision_saved", "editor", "r2", "Clearer wording"),
        ("round_advanced", "editor", "r2", "from r1 to r2"),
        ("approved", "designer", "r2", "Design leads"),
        ("round_closed", "editor", None, ""),
    ]
    assert all(a.round == round for a in activity_list(framework).filter(round__isnull=False))
