"""Fan-out: each review and assessment event reaches exactly the right people — never anyone
who cannot open what it links to — in the app and, for immediate delivery, by email."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from notifications.events import Delivery, Event
from notifications.links import registered, still_opens
from notifications.models import EmailState, Notification
from notifications.services import digests_send, preferences_save
from reviews.assessments.services import self_assessment_submit
from reviews.models import Comment, ReviewRound
from reviews.services import (
    comment_create,
    decision_record,
    reminders_send,
    reviewer_delegate,
    round_advance,
    round_close,
    round_open,
    round_publish,
)
from roles.access import HR_GROUP, LEADS_GROUP
from tests.factories import (
    PersonFactory,
    PublishedFrameworkFactory,
    UserFactory,
    assessment_in_state,
    make_assessment_document,
)
from tests.notifications.conftest import BASE_URL
from tests.reviews.factories import (
    DESIGN_LEADS,
    HR,
    STATEMENT,
    StakeholderGroupFactory,
    edit_draft,
    reword,
    save_revision,
    seat_of,
)

pytestmark = pytest.mark.django_db

ANCHOR = f"expectations:{STATEMENT}"


def notified(event: str, since: int = 0) -> set[str]:
    """Who got a notification of ``event`` (made after notification ``since``)."""
    rows = Notification.objects.filter(event=event, pk__gt=since)
    names = list(rows.values_list("recipient__username", flat=True))
    assert len(names) == len(set(names)), f"someone was notified twice: {names}"
    return set(names)


def last_pk() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def w(db):
    """A framework (v1 published) with two editors; r1 under review by a design lead and an
    HR reviewer; people placed in it (one with a login) and in another framework; and
    bystanders: a member, an editor of another framework, an administrator."""
    editor = UserFactory(username="editor", first_name="Edith", last_name="Editor")
    coeditor = UserFactory(username="coeditor")
    framework = PublishedFrameworkFactory(name="Product Design", editors=[editor, coeditor])
    other_editor = UserFactory(username="other_editor")
    other = PublishedFrameworkFactory(name="Other", editors=[other_editor])
    designer = UserFactory(username="designer", first_name="Dana", last_name="Designer")
    people = UserFactory(username="people")
    deputy = UserFactory(username="deputy")
    placed = UserFactory(username="placed")
    PersonFactory(framework=framework, user=placed)
    PersonFactory(framework=framework)  # no login
    left = UserFactory(username="left")
    PersonFactory(framework=framework, user=left, active=False)
    elsewhere = UserFactory(username="elsewhere")
    PersonFactory(framework=other, user=elsewhere)
    UserFactory(username="member")
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    groups = {name: StakeholderGroupFactory(name=name) for name in (DESIGN_LEADS, HR)}
    revision = save_revision(framework, editor, "First draft")
    round = round_open(
        revision=revision,
        user=editor,
        reviewers=[(designer, groups[DESIGN_LEADS]), (people, groups[HR])],
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        message="Please look",
    )
    return SimpleNamespace(
        framework=framework,
        editor=editor,
        coeditor=coeditor,
        designer=designer,
        people=people,
        deputy=deputy,
        round=round,
    )


def test_round_opened_reaches_exactly_the_reviewers(w):
    assert notified(Event.ROUND_OPENED) == {"designer", "people"}
    row = Notification.objects.get(event=Event.ROUND_OPENED, recipient=w.designer)
    assert row.url == reverse(
        "reviews:decision-create", kwargs={"slug": w.framework.slug, "pk": w.round.pk}
    )
    assert "Edith Editor asks you to review Product Design r1 as Design leads" in row.body


def test_round_opened_emails_each_reviewer_once_the_round_commits(
    w, mailoutbox, django_capture_on_commit_callbacks
):
    round_close(round=w.round, user=w.editor)  # it never committed; open a second one

    with django_capture_on_commit_callbacks(execute=True):
        again = round_open(
            revision=w.round.revision,
            user=w.coeditor,
            reviewers=[(w.deputy, StakeholderGroupFactory(name=DESIGN_LEADS))],
            due_on=timezone.localdate(),
        )

    (message,) = mailoutbox
    assert message.to == ["deputy@example.com"]
    decision = reverse("reviews:decision-create", kwargs={"slug": w.framework.slug, "pk": again.pk})
    assert BASE_URL + decision in message.body


def test_decision_due_reminders_reach_reviewers_and_delegates_who_have_not_decided(w):
    reviewer_delegate(seat=seat_of(w.round, w.people), delegate=w.deputy, user=w.people)
    assert notified(Event.DECISION_DUE) == {"deputy"}  # the delegation itself
    decision_record(
        round=w.round, seat=seat_of(w.round, w.designer), user=w.designer, verdict="approve"
    )
    before = last_pk()

    assert reminders_send(today=w.round.due_on) == 1
    assert notified(Event.DECISION_DUE, since=before) == {"people", "deputy"}
    # The claim per seat and day still holds: a second run notifies nobody.
    assert reminders_send(today=w.round.due_on) == 0
    assert notified(Event.DECISION_DUE, since=before) == {"people", "deputy"}


def test_a_new_revision_asks_every_reviewer_and_delegate_to_decide_again(w):
    reviewer_delegate(seat=seat_of(w.round, w.people), delegate=w.deputy, user=w.people)
    edit_draft(w.framework, reword(STATEMENT, "Sharper."))
    r2 = save_revision(w.framework, w.editor, "Sharper")
    before = last_pk()

    round_advance(round=w.round, revision=r2, user=w.editor)

    assert notified(Event.DECISION_DUE, since=before) == {"designer", "people", "deputy"}
    body = Notification.objects.get(pk__gt=before, recipient=w.designer).body
    assert "moved from r1 to r2" in body and "(r1 → r2): 1 change." in body


def test_a_new_comment_reaches_the_frameworks_editors_except_the_commenter(w):
    comment_create(round=w.round, user=w.designer, body="Too vague.", anchor=ANCHOR)
    assert notified(Event.COMMENT) == {"editor", "coeditor"}

    before = last_pk()
    comment_create(round=w.round, user=w.editor, body="Noted.", anchor=ANCHOR)
    assert notified(Event.COMMENT, since=before) == {"coeditor"}
    assert notified(Event.REPLY) == set()

    first = Notification.objects.filter(event=Event.COMMENT).earliest("pk")
    assert first.title.startswith("Dana Designer commented on Statement: Level 1 Role 1")
    assert first.body == "Too vague."
    thread = Comment.objects.earliest("pk")
    assert first.url.endswith(f"/rounds/{w.round.pk}/#comment-{thread.pk}")


def test_a_reply_reaches_earlier_participants_who_can_still_see_the_round(w):
    thread = comment_create(round=w.round, user=w.designer, body="Too vague.", anchor=ANCHOR)
    comment_create(round=w.round, user=w.coeditor, body="Which part?", parent=thread)
    assert notified(Event.REPLY) == {"designer"}

    # The co-editor loses access; the HR reviewer, who never took part, is not notified.
    w.framework.editors.remove(w.coeditor)
    before = last_pk()
    comment_create(round=w.round, user=w.editor, body="I will reword it.", parent=thread)

    assert notified(Event.REPLY, since=before) == {"designer"}
    titles = dict(
        Notification.objects.filter(pk__gt=before).values_list("recipient__username", "title")
    )
    assert titles["designer"].startswith("Edith Editor replied to your comment on Statement")


def test_a_reply_by_the_thread_starter_reaches_the_others(w):
    thread = comment_create(round=w.round, user=w.people, body="Is this right?")
    comment_create(round=w.round, user=w.designer, body="Yes.", parent=thread)
    comment_create(round=w.round, user=w.editor, body="Agreed.", parent=thread)
    before = last_pk()

    comment_create(round=w.round, user=w.people, body="Thanks both.", parent=thread)

    assert notified(Event.REPLY, since=before) == {"designer", "editor"}
    title = Notification.objects.get(pk__gt=before, recipient=w.designer).title
    assert title.endswith(" replied in a thread on the whole framework")


def test_publishing_reaches_editors_reviewers_delegates_and_people_placed_in_it(
    w, mailoutbox, django_capture_on_commit_callbacks
):
    reviewer_delegate(seat=seat_of(w.round, w.people), delegate=w.deputy, user=w.people)
    designer_seat, people_seat = seat_of(w.round, w.designer), seat_of(w.round, w.people)
    decision_record(round=w.round, seat=designer_seat, user=w.designer, verdict="approve")
    decision_record(round=w.round, seat=people_seat, user=w.deputy, verdict="approve")

    with django_capture_on_commit_callbacks(execute=True):
        version = round_publish(round=w.round, user=w.editor)

    # Not the publisher, not the person who left, nobody of the other framework, no member.
    expected = {"coeditor", "designer", "people", "deputy", "placed"}
    assert notified(Event.PUBLISHED) == expected
    assert sorted(m.to[0] for m in mailoutbox) == sorted(f"{u}@example.com" for u in expected)
    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert (
        "Product Design r1 is published as version 2. Thank you" in bodies["designer@example.com"]
    )
    assert "Product Design is published as version 2." in bodies["placed@example.com"]
    assert "r1" not in bodies["placed@example.com"]  # revisions are not theirs to see
    assert version.number == 2


def test_preferences_apply_to_review_events(w, mailoutbox, django_capture_on_commit_callbacks):
    preferences_save(user=w.coeditor, deliveries={Event.COMMENT: Delivery.OFF})
    preferences_save(user=w.editor, deliveries={Event.COMMENT: Delivery.IMMEDIATE})

    with django_capture_on_commit_callbacks(execute=True):
        comment_create(round=w.round, user=w.designer, body="Too vague.", anchor=ANCHOR)

    assert notified(Event.COMMENT) == {"editor"}
    assert [m.to for m in mailoutbox] == [["editor@example.com"]]


def test_review_emails_are_in_the_recipients_language(
    w, mailoutbox, django_capture_on_commit_callbacks
):
    Profile.objects.create(user=w.deputy, language="nl")
    round_close(round=w.round, user=w.editor)
    due = datetime.date(2099, 1, 2)  # a Friday

    with django_capture_on_commit_callbacks(execute=True):
        round_open(
            revision=w.round.revision,
            user=w.editor,
            reviewers=[(w.deputy, StakeholderGroupFactory(name=DESIGN_LEADS))],
            due_on=due,
        )

    (message,) = mailoutbox
    assert "vrijdag 2 januari 2099" in message.body  # the date in Dutch
    assert ReviewRound.objects.open().get().reviewers.get().user == w.deputy


# --- assessments ----------------------------------------------------------------------------


@pytest.fixture
def a(db):
    """Vic (with a login) led by Lee; HR are Hana and Hugo (and an inactive account); a
    second lead, a member and an administrator stand by."""
    framework = PublishedFrameworkFactory(content=make_assessment_document())
    lead = UserFactory(username="lee", groups=[LEADS_GROUP])
    hana = UserFactory(username="hana", groups=[HR_GROUP])
    hugo = UserFactory(username="hugo", groups=[HR_GROUP])
    UserFactory(username="gone_hr", groups=[HR_GROUP], is_active=False)
    UserFactory(username="other_lead", groups=[LEADS_GROUP])
    UserFactory(username="member")
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    vic = UserFactory(username="vic")
    person = PersonFactory(name="Vic Viewer", framework=framework, lead=lead, user=vic)
    return SimpleNamespace(framework=framework, lead=lead, hana=hana, hugo=hugo, person=person)


def test_a_submitted_assessment_reaches_hr_who_decide(a):
    assessment = assessment_in_state("submitted", person=a.person, lead=a.lead)

    assert notified(Event.ASSESSMENT_SUBMITTED) == {"hana", "hugo"}
    row = Notification.objects.get(event=Event.ASSESSMENT_SUBMITTED, recipient=a.hana)
    assert row.title == f"Assessment #{assessment.pk} of Vic Viewer is ready for a decision"
    assert row.url == reverse("reviews:assessment-detail", kwargs={"pk": assessment.pk})


def test_hr_never_hear_of_their_own_assessment_being_submitted(a):
    hana_person = PersonFactory(name="Hana", framework=a.framework, lead=a.lead, user=a.hana)

    assessment_in_state("submitted", person=hana_person, lead=a.lead)

    assert notified(Event.ASSESSMENT_SUBMITTED) == {"hugo"}


def test_a_decision_reaches_the_lead_and_the_person_not_the_decider(a):
    assessment_in_state("promoted", person=a.person, lead=a.lead, hr=a.hana)

    assert notified(Event.ASSESSMENT_DECIDED) == {"lee", "vic"}
    body = Notification.objects.get(event=Event.ASSESSMENT_DECIDED, recipient__username="vic").body
    assert "Vic Viewer" in body and "Keep going." in body


def test_a_decision_about_someone_without_a_login_reaches_the_lead_only(a):
    person = PersonFactory(name="No Login", framework=a.framework, lead=a.lead)

    assessment_in_state("not_yet", person=person, lead=a.lead, hr=a.hugo)

    assert notified(Event.ASSESSMENT_DECIDED) == {"lee"}


def test_self_assessment_requests_and_hand_ins_reach_the_person_and_the_lead(a):
    assessment = assessment_in_state("self_review", person=a.person, lead=a.lead)
    assert notified(Event.SELF_ASSESSMENT_REQUESTED) == {"vic"}

    self_assessment_submit(assessment=assessment, user=a.person.user)
    assert notified(Event.SELF_ASSESSMENT_SUBMITTED) == {"lee"}
    # Nothing about a draft reaches HR or the person before it is shared.
    assert notified(Event.ASSESSMENT_SUBMITTED) == set()


def test_the_digest_leaves_out_what_the_recipient_may_no_longer_open(w, mailoutbox):
    """Comments go to editors' daily digests; an editor removed from the framework before
    the digest is sent must not get the comment's title by email."""
    comment_create(round=w.round, user=w.designer, body="Too vague.", anchor=ANCHOR)
    w.framework.editors.remove(w.coeditor)
    mailoutbox.clear()

    digests_send(day=timezone.localdate())

    assert [m.to for m in mailoutbox] == [[w.editor.email]]
    assert "commented on Statement" in mailoutbox[0].body
    left_out = Notification.objects.get(event=Event.COMMENT, recipient=w.coeditor)
    assert left_out.email_state == EmailState.NOT_EMAILED  # not offered again tomorrow


def test_every_page_notifications_link_to_has_its_access_check():
    """The digest asks each linked page's own access helper (notifications.links)."""
    assert registered() >= {
        "reviews:round-detail",
        "reviews:decision-create",
        "reviews:assessment-self",
        "reviews:assessment-edit",
        "reviews:assessment-detail",
        "ladders:framework-detail",
    }


def test_links_open_by_the_pages_own_rules(w):
    round_url = reverse("reviews:round-detail", kwargs={"slug": w.framework.slug, "pk": w.round.pk})
    assert still_opens(w.coeditor, round_url + "#comment-1")
    assert not still_opens(UserFactory(username="stranger"), round_url)
    hidden = PublishedFrameworkFactory(members_only=True)
    overview = reverse("ladders:framework-detail", kwargs={"slug": hidden.slug})
    assert still_opens(w.coeditor, overview)
    assert not still_opens(AnonymousUser(), overview)
    assert still_opens(AnonymousUser(), "/no/such/page/")  # nothing there to reveal
