"""The notification pages: who reaches what, the list, opening one, preferences, the badge.

Every page is personal: anonymous visitors are sent to log in; everyone logged in (admins
too) sees and opens only their own notifications — somebody else's is 404.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.events import Delivery, Event, event_types
from notifications.models import Notification, Preference
from notifications.services import notify
from tests.conftest import ACTORS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OK, REDIRECT, GONE, BAD, LOGIN = 200, 302, 404, 400, "login"
LIST = reverse("notifications:notification-list")
PREFERENCES = reverse("notifications:preferences")
READ_ALL = reverse("notifications:notification-read-all")
TARGET = "/frameworks/fw/rounds/1/#comment-2"


def note(user, title: str = "Something happened", url: str = TARGET) -> Notification:
    (notification,) = notify(Event.REPLY, [user], title=title, body="Details.", url=url)
    return notification


@pytest.fixture
def world(make_actor):
    """Every actor with one unread notification of their own, and ``owner``'s, which no
    actor may open."""
    users = {actor: make_actor(actor) for actor in ACTORS}
    own = {
        actor: note(user, f"For {actor}") for actor, user in users.items() if user.is_authenticated
    }
    owner = UserFactory(username="owner")
    return users, own, note(owner, "For the owner only")


def valid_preferences() -> dict[str, str]:
    return {t.key: Delivery.OFF for t in event_types()}


# (what, method, url builder (own notification, someone else's), data, logged-in result)
CASES = [
    ("list", "get", lambda own, other: LIST, None, OK),
    ("open own", "post", lambda own, other: _open(own), {}, REDIRECT),
    ("open other's", "post", lambda own, other: _open(other), {}, GONE),
    ("open unknown", "post", lambda own, other: _open(other.pk + 1000), {}, GONE),
    ("open with GET", "get", lambda own, other: _open(own), None, 405),
    ("read all", "post", lambda own, other: READ_ALL, {}, REDIRECT),
    ("read all with GET", "get", lambda own, other: READ_ALL, None, 405),
    ("preferences", "get", lambda own, other: PREFERENCES, None, OK),
    ("save preferences", "post", lambda own, other: PREFERENCES, valid_preferences(), REDIRECT),
    ("bad preferences", "post", lambda own, other: PREFERENCES, {Event.REPLY: "loud"}, BAD),
    ("preferences with PUT", "put", lambda own, other: PREFERENCES, None, 405),
]


def _open(notification) -> str:
    pk = getattr(notification, "pk", notification)
    return reverse("notifications:notification-open", kwargs={"pk": pk})


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("what", "method", "make_url", "data", "want"), CASES)
def test_notification_access_matrix(client, world, actor, what, method, make_url, data, want):
    users, own, other = world
    user = users[actor]
    url = make_url(own.get(actor, other), other)
    if user.is_authenticated:
        client.force_login(user)
    response = (
        getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    )
    if not user.is_authenticated:
        assert response.status_code == 302 and response.url.startswith(reverse("login")), what
    else:
        assert response.status_code == want, (actor, what, response.status_code)
    assert Notification.objects.get(pk=other.pk).read_at is None  # never touched by anyone


@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "anonymous"])
def test_the_list_shows_only_your_own_notifications(client, world, actor):
    users, _own, _other = world
    client.force_login(users[actor])

    html = client.get(LIST).content.decode()

    assert f"For {actor}" in html
    assert "For the owner only" not in html
    assert all(f"For {a}<" not in html for a in ACTORS if a != actor)


def test_the_list_is_newest_first_highlights_unread_and_pages(client):
    user = UserFactory()
    for n in range(30):
        note(user, f"Event {n:02d}")
    Notification.objects.filter(title="Event 29").update(read_at="2030-01-01T00:00:00Z")
    client.force_login(user)

    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()

    assert first.index("Event 29") < first.index("Event 28")
    assert "Event 04" not in first and "Event 05" in first  # 25 a page
    assert "Event 04" in second and "Event 00" in second
    assert first.count(">unread</span>") == 24
    assert "Page 1 of 2" in first
    # A page number out of range or not a number is a page, never an error.
    assert client.get(LIST, {"page": "999"}).status_code == 200
    assert client.get(LIST, {"page": "x"}).status_code == 200


def test_the_empty_list_says_so(client):
    client.force_login(UserFactory())

    assert "No notifications yet" in client.get(LIST).content.decode()


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_costs_the_same_number_of_queries_however_many_rows(
    client, rows, django_assert_max_num_queries
):
    user = UserFactory()
    for n in range(rows):
        note(user, f"Event {n}")
    client.force_login(user)
    client.get(LIST)  # warm up

    # Session, user, the user's profile (language and time zone), the paginator's count,
    # the header's unread count, the navigation's group and people checks, the page's rows.
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.status_code == 200


def test_the_list_query_count_does_not_grow_with_rows(client):
    user = UserFactory()
    client.force_login(user)
    counts = []
    for rows in (1, 30):
        for n in range(rows):
            note(user, f"Event {n}")
        with CaptureQueriesContext(connection) as queries:
            client.get(LIST)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_opening_marks_read_and_redirects_to_the_notifications_page(client):
    user = UserFactory()
    notification = note(user)
    client.force_login(user)

    response = client.post(_open(notification))

    assert response.status_code == 302 and response.url == TARGET
    notification.refresh_from_db()
    assert notification.read_at is not None
    first_read = notification.read_at
    client.post(_open(notification))
    notification.refresh_from_db()
    assert notification.read_at == first_read  # the first read time stays


def test_opening_never_leaves_the_site(client):
    """The database refuses a URL starting with "//"; anything else that is not a plain
    path (here a backslash trick) sends the reader to the list instead."""
    user = UserFactory()
    odd = Notification.objects.create(recipient=user, event=Event.REPLY, title="x", url="/\\evil")
    client.force_login(user)

    response = client.post(_open(odd))

    assert response.status_code == 302 and response.url == LIST


def test_mark_all_read_marks_only_your_own(client):
    user, other = UserFactory(), UserFactory()
    mine = [note(user), note(user)]
    theirs = note(other)
    client.force_login(user)

    response = client.post(READ_ALL, follow=True)

    assert "Marked 2 notifications read." in response.content.decode()
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_htmx_gets_only_the_list_fragment(client):
    user = UserFactory()
    note(user, "Fragment item")
    client.force_login(user)

    listed = client.get(LIST, headers={"HX-Request": "true"})
    marked = client.post(READ_ALL, headers={"HX-Request": "true"})

    for response in (listed, marked):
        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith('<div id="notifications">')
        assert "<html" not in html and "Fragment item" in html
        assert "HX-Request" in response["Vary"]
    assert ">unread</span>" not in marked.content.decode()


def test_preferences_show_a_radio_group_per_event_with_the_current_choice(client):
    user = UserFactory()
    Preference.objects.create(user=user, event=Event.PUBLISHED, delivery=Delivery.OFF)
    client.force_login(user)

    html = client.get(PREFERENCES).content.decode()

    assert html.count("<fieldset") == len(event_types())
    for event_type in event_types():
        assert str(event_type.label) in html
    assert re.search(r'name="published" value="off"\s+id="id_published_2" required checked', html)
    assert re.search(r'name="comment" value="digest"\s+id="id_comment_1" required checked', html)
    assert 'name="reply" value="immediate"  id="id_reply_0" required checked' in html


def test_saving_preferences_stores_one_choice_per_event(client):
    user = UserFactory()
    client.force_login(user)
    data = {**valid_preferences(), Event.REPLY: Delivery.DIGEST}

    response = client.post(PREFERENCES, data, follow=True)

    assert "Your notification preferences are saved." in response.content.decode()
    stored = dict(Preference.objects.filter(user=user).values_list("event", "delivery"))
    assert stored == data


def test_bad_preferences_are_a_form_error_and_store_nothing(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(PREFERENCES, {Event.REPLY: "loud"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Preference.objects.exists()


def test_the_header_shows_the_unread_count_with_an_accessible_name(client):
    user = UserFactory()
    for _ in range(4):
        note(user)
    Notification.objects.filter(pk=note(user).pk).update(read_at="2030-01-01T00:00:00Z")
    client.force_login(user)

    html = client.get(reverse("ladders:framework-list")).content.decode()

    assert f'<a class="nav-link" href="{LIST}">' in html
    assert (
        '<span class="badge rounded-pill text-bg-warning">4'
        '<span class="visually-hidden"> unread</span></span>'
    ) in html


def test_the_header_caps_a_large_unread_count(client):
    user = UserFactory()
    Notification.objects.bulk_create(
        Notification(recipient=user, event=Event.REPLY, title=f"n{n}", url="/") for n in range(120)
    )
    client.force_login(user)

    html = client.get(LIST).content.decode()

    assert '99+<span class="visually-hidden"> unread</span>' in html


def test_no_badge_without_unread_and_no_link_for_visitors(client):
    html = client.get(reverse("ladders:framework-list")).content.decode()
    assert LIST not in html

    client.force_login(UserFactory())
    html = client.get(reverse("ladders:framework-list")).content.decode()
    assert f'href="{LIST}"' in html and 'visually-hidden"> unread' not in html
