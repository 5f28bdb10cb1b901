"""send_review_reminders (reviews.services.reminders_send behind a management command)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from reviews import notify
from reviews.models import Activity
from reviews.services import decision_record, round_advance, round_close
from tests.factories import UserFactory
from tests.reviews.factories import (
    OTHER_STATEMENT,
    STATEMENT,
    edit_draft,
    reword,
    save_revision,
    seat_of,
)

DAY = datetime.timedelta(days=1)
BASE_URL = "https://careers.example.com"


@pytest.fixture
def remind(mailoutbox, django_capture_on_commit_callbacks):
    """``remind(today)`` runs the command for that day; returns its output and the emails
    it sent (which go out when each reviewer's transaction commits)."""

    def run(today: datetime.date, *args: str) -> tuple[str, list]:
        sent_before = len(mailoutbox)
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_review_reminders", f"--today={today.isoformat()}", *args, stdout=out)
        return out.getvalue(), mailoutbox[sent_before:]

    return run


def recipients(messages) -> list[str]:
    return sorted(address for m in messages for address in m.to)


def test_reviewers_are_reminded_when_the_round_is_due_within_two_days(
    review_round, due_on, remind, reviewers
):
    out, sent = remind(due_on - 2 * DAY)

    assert recipients(sent) == sorted(u.email for u, _ in reviewers)
    assert out == f"Sent 4 review reminders for {due_on - 2 * DAY}.\n"
    assert {m.subject for m in sent} == {
        f"Reminder: your review of Product Design is due {due_on:%d %b}"
    }


def test_nobody_is_reminded_earlier_than_two_days_before(review_round, due_on, remind):
    out, sent = remind(due_on - 3 * DAY)

    assert sent == []
    assert out == f"Sent 0 review reminders for {due_on - 3 * DAY}.\n"


def test_days_option_widens_the_window(review_round, due_on, remind):
    _, sent = remind(due_on - 5 * DAY, "--days=5")

    assert len(sent) == 4


def test_overdue_reviews_are_reminded(review_round, due_on, remind):
    _, sent = remind(due_on + 3 * DAY)

    assert len(sent) == 4
    assert {m.subject for m in sent} == {"Reminder: your review of Product Design is overdue"}
    assert "was due on" in sent[0].body


def test_reviewers_who_decided_on_the_current_revision_are_not_reminded(
    review_round, due_on, remind, designer, manager
):
    decision_record(
        round=review_round, seat=seat_of(review_round, designer), user=designer, verdict="approve"
    )
    decision_record(
        round=review_round,
        seat=seat_of(review_round, manager),
        user=manager,
        verdict="request_changes",
        note="Not yet.",
    )

    _, sent = remind(due_on)

    assert recipients(sent) == ["delivery@example.com", "people@example.com"]


def test_reviewers_of_closed_rounds_are_not_reminded(review_round, editor, due_on, remind):
    round_close(round=review_round, user=editor)

    assert remind(due_on)[1] == []


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(
    review_round, due_on, remind
):
    first_day = due_on - DAY

    assert len(remind(first_day)[1]) == 4
    out, sent = remind(first_day)
    assert sent == []
    assert out == f"Sent 0 review reminders for {first_day}.\n"
    assert len(remind(due_on)[1]) == 4
    assert Activity.objects.filter(verb="reminded").count() == 8


def test_each_reminder_is_logged(review_round, due_on, remind):
    remind(due_on)

    details = sorted(Activity.objects.filter(verb="reminded").values_list("detail", flat=True))
    assert details == [
        "delivery (Delivery lead)",
        "designer (Design leads)",
        "manager (Management)",
        "people (HR)",
    ]


def test_the_delegate_gets_the_reminder_too(review_round, due_on, remind, designer):
    deputy = UserFactory(username="deputy")
    seat = seat_of(review_round, designer)
    seat.delegate = deputy
    seat.save()

    _, sent = remind(due_on)

    # One email each (notifications.services.notify), the delegate's saying for whom.
    (to_reviewer,) = [m for m in sent if m.to == ["designer@example.com"]]
    (to_deputy,) = [m for m in sent if m.to == ["deputy@example.com"]]
    assert "Your review of Product Design r1 as Design leads" in to_reviewer.body
    assert "you decide for Dana Designer as Design leads" in to_deputy.body


def test_the_reminder_lists_only_what_changed_since_the_reviewer_last_looked(
    framework, review_round, editor, designer, due_on, remind, settings
):
    settings.CAREERFRAME_BASE_URL = BASE_URL
    decision_record(
        round=review_round, seat=seat_of(review_round, designer), user=designer, verdict="approve"
    )
    edit_draft(framework, reword(STATEMENT, "Sharper wording."))
    r2 = save_revision(framework, editor, "Sharper wording")
    round_advance(round=review_round, revision=r2, user=editor)

    _, sent = remind(due_on)

    (message,) = [m for m in sent if m.to == ["designer@example.com"]]
    assert "What changed since you last looked (r1 → r2): 1 change." in message.body
    # Labels as reviews.outline.DocumentIndex gives them.
    assert "  - changed: Statement: Level 1 Role 1 › Competency 1: “" in message.body
    assert "Level 2 Role 1 › Competency 2" not in message.body  # OTHER_STATEMENT, unchanged
    assert OTHER_STATEMENT not in message.body
    decision_url = BASE_URL + reverse(
        "reviews:decision-create", kwargs={"slug": framework.slug, "pk": review_round.pk}
    )
    assert decision_url in message.body
    # Who never opened the round is told the whole revision is new to them.
    (other,) = [m for m in sent if m.to == ["manager@example.com"]]
    assert "You have not looked at this round yet" in other.body
    assert decision_url in other.body


def test_a_long_list_of_changes_is_cut_short(
    framework, review_round, editor, designer, due_on, remind, monkeypatch
):
    monkeypatch.setattr(notify, "MAX_LISTED_CHANGES", 10)
    decision_record(
        round=review_round, seat=seat_of(review_round, designer), user=designer, verdict="approve"
    )

    def reword_all(document):
        for statement in document["expectations"]:
            statement["text"] += " Consistently."

    edit_draft(framework, reword_all)  # the 12 statements of make_document()
    round_advance(round=review_round, revision=save_revision(framework, editor), user=editor)

    _, sent = remind(due_on)

    (message,) = [m for m in sent if m.to == ["designer@example.com"]]
    assert "(r1 → r2): 12 changes." in message.body
    assert message.body.count("  - changed: ") == 10
    assert "… and 2 more." in message.body


def test_a_bad_today_is_a_usage_error():
    with pytest.raises(CommandError) as excinfo:
        call_command("send_review_reminders", "--today=next tuesday")

    assert excinfo.value.returncode == 2
    assert "'next tuesday' is not a date" in str(excinfo.value)


def test_negative_days_is_a_usage_error():
    with pytest.raises(CommandError) as excinfo:
        call_command("send_review_reminders", "--days=-1")

    assert excinfo.value.returncode == 2
