"""notifications.services.notify: rows, preferences, emails after commit, their content."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import Profile
from notifications.events import REGISTRY, Delivery, Event, event_types
from notifications.models import EmailState, Notification, Preference
from notifications.services import is_site_path, notify, preferences_save
from tests.factories import UserFactory
from tests.notifications.conftest import BASE_URL

pytestmark = pytest.mark.django_db

URL = "/frameworks/x/rounds/1/#comment-3"


def send(recipients, event=Event.REPLY, **texts):
    texts.setdefault("title", "Dana replied to your comment")
    texts.setdefault("body", "Agreed, let us reword it.")
    return notify(event, recipients, url=URL, **texts)


def test_every_event_has_a_registered_type_with_a_label_and_default():
    assert set(REGISTRY) == set(Event.values)
    assert [t.key for t in event_types()] == list(Event.values)
    for event_type in event_types():
        assert event_type.label and event_type.description
        assert event_type.default in Delivery.values


def test_unknown_events_and_urls_off_the_site_are_refused():
    user = UserFactory()
    with pytest.raises(ValueError, match="Unknown notification event"):
        notify("tea_time", [user], title="t", url="/")
    bad = [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "x/y",
        "/a b",
        "/a" * 300,
    ]
    for url in bad:
        with pytest.raises(ValueError, match="path on this site"):
            notify(Event.REPLY, [user], title="t", url=url)
    assert Notification.objects.count() == 0
    assert is_site_path(URL)


def test_recipients_are_deduplicated_and_inactive_users_and_none_skipped(
    mailoutbox, django_capture_on_commit_callbacks
):
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    gone = UserFactory(username="gone", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        created = send([ann, bob, ann, None, gone, bob])

    assert sorted(n.recipient.username for n in created) == ["ann", "bob"]
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.com", "bob@example.com"]
    assert all(len(m.to) == 1 for m in mailoutbox)


def test_nobody_to_notify_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert send([None]) == []


def test_fan_out_costs_three_queries_however_many_recipients(django_assert_num_queries):
    users = [UserFactory() for _ in range(12)]
    Preference.objects.create(user=users[0], event=Event.REPLY, delivery=Delivery.OFF)

    # The active recipients with their profiles, their preferences, one insert.
    with django_assert_num_queries(3):
        created = send(users)

    assert len(created) == 11


def test_immediate_delivery_emails_after_commit_only(
    mailoutbox, django_capture_on_commit_callbacks
):
    ann = UserFactory(username="ann")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (notification,) = send([ann])
    assert mailoutbox == []  # the transaction has not committed
    assert notification.email_state == EmailState.NOT_EMAILED
    for callback in callbacks:
        callback()

    (message,) = mailoutbox
    assert message.to == ["ann@example.com"]
    assert message.subject == "Dana replied to your comment"
    notification.refresh_from_db()
    assert notification.email_state == EmailState.EMAILED
    assert notification.emailed_at is not None


def test_a_rolled_back_action_notifies_nobody(mailoutbox, django_capture_on_commit_callbacks):
    ann = UserFactory(username="ann")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send([ann])
        raise RuntimeError("the action failed")

    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_preferences_decide_delivery_per_user_and_event(
    mailoutbox, django_capture_on_commit_callbacks
):
    now, later, never = (UserFactory(username=n) for n in ("now", "later", "never"))
    preferences_save(user=later, deliveries={Event.REPLY: Delivery.DIGEST})
    preferences_save(user=never, deliveries={Event.REPLY: Delivery.OFF})
    # Another event's choice does not count for this one.
    preferences_save(user=now, deliveries={Event.COMMENT: Delivery.OFF})

    with django_capture_on_commit_callbacks(execute=True):
        send([now, later, never])

    rows = dict(Notification.objects.values_list("recipient__username", "email_state"))
    assert rows == {"now": EmailState.EMAILED, "later": EmailState.DIGEST}
    assert [m.to for m in mailoutbox] == [["now@example.com"]]


def test_without_a_preference_the_event_default_applies(
    mailoutbox, django_capture_on_commit_callbacks
):
    editor = UserFactory()
    assert REGISTRY[Event.COMMENT].default == Delivery.DIGEST

    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = send([editor], event=Event.COMMENT)

    assert notification.email_state == EmailState.DIGEST
    assert mailoutbox == []


def test_saving_preferences_again_updates_them():
    user = UserFactory()
    preferences_save(user=user, deliveries={Event.REPLY: Delivery.OFF})
    preferences_save(user=user, deliveries={Event.REPLY: Delivery.DIGEST})

    assert list(Preference.objects.values_list("event", "delivery")) == [
        (Event.REPLY, Delivery.DIGEST)
    ]


def test_users_without_an_email_address_get_the_notification_in_the_app_only(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="")

    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = send([user])

    assert mailoutbox == []
    notification.refresh_from_db()
    assert notification.email_state == EmailState.NOT_EMAILED


def test_the_email_has_text_and_html_parts_absolute_links_and_the_preferences_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    ann = UserFactory(username="ann", first_name="Ann", last_name="Archer")

    with django_capture_on_commit_callbacks(execute=True):
        send([ann], body="Agreed.\nLet us <b>reword</b> it.")

    (message,) = mailoutbox
    preferences = BASE_URL + reverse("notifications:preferences")
    assert message.content_subtype == "plain"
    text = message.body
    assert text.startswith("Hello Ann Archer,")
    assert "Dana replied to your comment" in text
    assert "Let us <b>reword</b> it." in text  # plain text: nothing escaped
    assert BASE_URL + URL in text
    assert preferences in text
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert '<html lang="en-gb">' in html
    assert "Agreed.<br>Let us &lt;b&gt;reword&lt;/b&gt; it." in html  # escaped
    assert f'href="{BASE_URL}{URL}"' in html
    assert f'href="{preferences}"' in html
    assert message.extra_headers["List-Unsubscribe"] == f"<{preferences}>"


def test_texts_and_emails_are_in_each_recipients_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    english = UserFactory(username="english")
    dutch = UserFactory(username="dutch")
    Profile.objects.create(user=dutch, language="nl")

    with django_capture_on_commit_callbacks(execute=True):
        send(
            [english, dutch],
            title=lambda user: f"[{translation.get_language()}] for {user.username}",
            body=lambda user: translation.gettext("Monday"),
        )

    titles = dict(Notification.objects.values_list("recipient__username", "title"))
    assert titles == {"english": "[en-gb] for english", "dutch": "[nl] for dutch"}
    bodies = dict(Notification.objects.values_list("recipient__username", "body"))
    assert bodies == {"english": "Monday", "dutch": "maandag"}  # Django's own catalogue
    html = {m.to[0]: m.alternatives[0][0] for m in mailoutbox}
    assert '<html lang="nl">' in html["dutch@example.com"]
    assert '<html lang="en-gb">' in html["english@example.com"]


def test_a_failing_mail_server_leaves_the_notification_unemailed(
    mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    ann = UserFactory(username="ann")

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = send([ann])

    notification.refresh_from_db()
    assert notification.email_state == EmailState.NOT_EMAILED
