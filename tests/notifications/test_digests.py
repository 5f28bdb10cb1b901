"""send_digests: one email per user and day with everything waiting, never two a day."""

from __future__ import annotations

import datetime
import io
import threading
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse

from accounts.models import Profile
from notifications.events import Delivery, Event
from notifications.models import DigestRun, EmailState, Notification
from notifications.services import digests_send, notify, preferences_save
from tests.factories import UserFactory
from tests.notifications.conftest import BASE_URL

DAY = datetime.date(2030, 1, 2)
NEXT_DAY = DAY + datetime.timedelta(days=1)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def digest_item(user, title: str, *, when: datetime.datetime, event=Event.COMMENT, url="/x/"):
    """A notification waiting for ``user``'s digest, made at ``when``."""
    (notification,) = notify(event, [user], title=title, body=f"About {title}.", url=url)
    assert notification.email_state == EmailState.DIGEST
    Notification.objects.filter(pk=notification.pk).update(created_at=when)
    return notification


def run(day: datetime.date = DAY) -> str:
    out = io.StringIO()
    call_command("send_digests", f"--date={day.isoformat()}", stdout=out)
    return out.getvalue()


@pytest.fixture
def ann(db):
    """Wants replies in the digest too (comments go there by default)."""
    user = UserFactory(username="ann", first_name="Ann")
    preferences_save(user=user, deliveries={Event.REPLY: Delivery.DIGEST})
    return user


@pytest.mark.django_db
def test_one_email_groups_everything_waiting_for_the_user(ann, mailoutbox):
    digest_item(ann, "Comment one", when=at(DAY, 8), url="/one/")
    digest_item(ann, "Reply one", when=at(DAY, 9), event=Event.REPLY, url="/two/")
    digest_item(ann, "Comment two", when=at(DAY, 10), url="/three/")

    assert run() == f"Sent 1 digest for {DAY}.\n"

    (message,) = mailoutbox
    assert message.to == ["ann@example.com"]
    assert message.subject == "Your careerframe digest for 2 January: 3 updates"
    text = message.body
    assert "3 things happened on careerframe that concern you" in text
    # Grouped by event type in the registry's order, oldest first within a group.
    assert (
        text.index("Comment on your element")
        < text.index("Comment one")
        < text.index("Comment two")
        < text.index("Reply to your comment")
        < text.index("Reply one")
    )
    for path in ("/one/", "/two/", "/three/"):
        assert BASE_URL + path in text
    preferences = BASE_URL + reverse("notifications:preferences")
    assert preferences in text
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{BASE_URL}/one/"' in html and f'href="{preferences}"' in html
    assert message.extra_headers["List-Unsubscribe"] == f"<{preferences}>"
    run_row = DigestRun.objects.get()
    assert (run_row.user, run_row.day, run_row.items) == (ann, DAY, 3)
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.EMAILED}


@pytest.mark.django_db
def test_running_twice_the_same_day_sends_one_digest(ann, mailoutbox):
    digest_item(ann, "Comment one", when=at(DAY, 8))
    run()
    digest_item(ann, "Comment after the first run", when=at(DAY, 20))

    assert run() == f"Sent 0 digests for {DAY}.\n"

    assert len(mailoutbox) == 1
    assert DigestRun.objects.count() == 1


@pytest.mark.django_db
def test_what_arrives_after_the_days_digest_goes_into_the_next_days(ann, mailoutbox):
    digest_item(ann, "Comment one", when=at(DAY, 8))
    run(DAY)
    digest_item(ann, "Late comment", when=at(DAY, 20))
    digest_item(ann, "Next day comment", when=at(NEXT_DAY, 8))

    assert run(NEXT_DAY) == f"Sent 1 digest for {NEXT_DAY}.\n"

    first, second = mailoutbox
    assert "Comment one" in first.body and "Late comment" not in first.body
    assert "Late comment" in second.body and "Next day comment" in second.body
    assert "Comment one" not in second.body
    assert second.subject == "Your careerframe digest for 3 January: 2 updates"


@pytest.mark.django_db
def test_items_made_after_the_digests_day_wait_for_their_own(ann, mailoutbox):
    digest_item(ann, "Tomorrow's", when=at(NEXT_DAY, 1))

    assert run(DAY) == f"Sent 0 digests for {DAY}.\n"
    assert mailoutbox == []
    assert Notification.objects.get().email_state == EmailState.DIGEST


@pytest.mark.django_db
def test_each_user_gets_their_own_digest(ann, mailoutbox):
    bob = UserFactory(username="bob")
    digest_item(ann, "For Ann", when=at(DAY))
    digest_item(bob, "For Bob", when=at(DAY))

    assert run() == f"Sent 2 digests for {DAY}.\n"

    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert "For Ann" in bodies["ann@example.com"] and "For Bob" not in bodies["ann@example.com"]
    assert "For Bob" in bodies["bob@example.com"] and "For Ann" not in bodies["bob@example.com"]


@pytest.mark.django_db
def test_items_read_in_the_app_are_left_out(ann, mailoutbox):
    read = digest_item(ann, "Already read", when=at(DAY, 8))
    Notification.objects.filter(pk=read.pk).update(read_at=at(DAY, 9))
    digest_item(ann, "Still unread", when=at(DAY, 10))

    run()

    (message,) = mailoutbox
    assert "Still unread" in message.body and "Already read" not in message.body
    assert Notification.objects.get(pk=read.pk).email_state == EmailState.NOT_EMAILED


@pytest.mark.django_db
def test_nothing_unread_means_no_email_and_a_later_run_may_still_send(ann, mailoutbox):
    read = digest_item(ann, "Already read", when=at(DAY, 8))
    Notification.objects.filter(pk=read.pk).update(read_at=at(DAY, 9))

    assert run() == f"Sent 0 digests for {DAY}.\n"
    assert DigestRun.objects.count() == 0
    digest_item(ann, "New", when=at(DAY, 12))
    assert run() == f"Sent 1 digest for {DAY}.\n"
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_digest_claimed_by_another_run_is_not_sent_again(ann, mailoutbox):
    """What a concurrent run finds: the (user, day) row exists, unique in the database."""
    digest_item(ann, "Comment", when=at(DAY))
    DigestRun.objects.create(user=ann, day=DAY)

    assert run() == f"Sent 0 digests for {DAY}.\n"
    assert mailoutbox == []
    with pytest.raises(IntegrityError), transaction.atomic():
        DigestRun.objects.create(user=ann, day=DAY)


@pytest.mark.django_db
def test_a_failed_send_releases_the_claim_for_the_next_run(ann, mailoutbox, monkeypatch):
    digest_item(ann, "Comment", when=at(DAY))
    real_send = mail.EmailMultiAlternatives.send

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", refuse)
    assert run() == f"Sent 0 digests for {DAY}.\n"
    assert DigestRun.objects.count() == 0
    assert Notification.objects.get().email_state == EmailState.DIGEST

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", real_send)
    assert run() == f"Sent 1 digest for {DAY}.\n"
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_inactive_users_and_users_without_email_get_no_digest(mailoutbox):
    quiet = UserFactory(username="quiet", email="")
    leaver = UserFactory(username="leaver")
    digest_item(quiet, "No address", when=at(DAY))
    digest_item(leaver, "Left since", when=at(DAY))
    leaver.is_active = False
    leaver.save()

    assert run() == f"Sent 0 digests for {DAY}.\n"
    assert set(Notification.objects.values_list("email_state", flat=True)) == {
        EmailState.NOT_EMAILED
    }


@pytest.mark.django_db
def test_the_digest_is_in_the_recipients_language_and_time_zone(mailoutbox):
    user = UserFactory(username="kees")
    Profile.objects.create(user=user, language="nl", timezone="Asia/Tokyo")
    digest_item(user, "Opmerking", when=at(DAY, 10))  # 19:00 in Tokyo

    run()

    (message,) = mailoutbox
    assert "2 januari" in message.subject  # Django's own Dutch month names
    assert "(2 Jan, 19:00)" in message.body  # 10:00 UTC
    assert '<html lang="nl">' in message.alternatives[0][0]


@pytest.mark.django_db
def test_the_command_defaults_to_today_and_refuses_a_bad_date():
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue().startswith("Sent 0 digests for ")

    with pytest.raises(CommandError) as excinfo:
        call_command("send_digests", "--date=tomorrow")
    assert excinfo.value.returncode == 2
    assert "'tomorrow' is not a date" in str(excinfo.value)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_digest(mailoutbox):
    """Real threads, each with its own connection. The shared in-memory SQLite test database
    answers "table is locked" to a concurrent writer: that run retries, like cron would."""
    user = UserFactory(username="ann")
    for n in range(3):
        digest_item(user, f"Comment {n}", when=at(DAY))
    barrier = threading.Barrier(2)
    results: list[object] = []

    def one_run() -> None:
        try:
            barrier.wait(timeout=10)
            for _attempt in range(30):
                try:
                    results.append(digests_send(day=DAY))
                    return
                except OperationalError:
                    if connection.vendor != "sqlite":
                        raise
                    time.sleep(0.02)
            results.append(AssertionError("still locked after 30 attempts"))
        except Exception as error:  # noqa: BLE001 - asserted below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == [0, 1]
    assert len(mailoutbox) == 1
    assert DigestRun.objects.get().items == 3
