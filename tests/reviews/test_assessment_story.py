"""Assessments end to end through the client: a lead assesses, HR promotes, the person's
level and history change; the self-assessment path; re-pinning to a newer version; and the
impact preview editors and HR see before publishing."""

from __future__ import annotations

import copy
import datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse

from ladders.models import Person
from reviews.assessments.selectors import version_impact
from reviews.models import Assessment, StakeholderGroup
from reviews.services import revision_save, round_open
from roles.access import HR_GROUP, LEADS_GROUP
from roles.serialization import document_from_version
from roles.services import draft_get, draft_replace, version_publish
from tests.factories import (
    PersonFactory,
    PublishedFrameworkFactory,
    UserFactory,
    assessment_in_state,
    make_assessment_document,
)

C1, C2, C3 = "role-1.l2.c1", "role-1.l2.c2", "role-1.l2.c3"


@pytest.fixture
def world(db):
    editor = UserFactory(username="author")
    framework = PublishedFrameworkFactory(
        slug="design", content=make_assessment_document(), editors=[editor]
    )
    lead = UserFactory(username="lead", groups=[LEADS_GROUP])
    hr = UserFactory(username="hr", groups=[HR_GROUP])
    viewer = UserFactory(username="viewer", email="vic@example.com")
    person = PersonFactory(name="Vic Viewer", framework=framework, lead=lead, user=viewer)
    return SimpleNamespace(
        framework=framework, editor=editor, lead=lead, hr=hr, viewer=viewer, person=person
    )


def url(name: str, a: Assessment | None = None) -> str:
    return reverse(f"reviews:{name}", kwargs={"pk": a.pk} if a else {})


def edit_draft(framework, change) -> None:
    document = copy.deepcopy(document_from_version(draft_get(framework=framework)))
    change(document)
    draft_replace(framework=framework, document=document)


def test_lead_assesses_hr_promotes_and_the_person_moves_up(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.lead)
    client.post(url("assessment-create"), {"person": world.person.pk, "target": "role-1.l2"})
    a = Assessment.objects.get()
    ratings = {f"{key}-rating": "met" for key in (C1, C2, C3)}
    client.post(
        url("assessment-edit", a),
        {"ratings": "1", **ratings, f"{C1}-evidence": "Search launch.", "summary": "Ready."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("assessment-submit", a), {"recommendation": "promote"})
    assert response.url.endswith("#progress")  # no recommendation saved yet
    client.post(
        url("assessment-edit", a),
        {
            "ratings": "1",
            **ratings,
            f"{C1}-evidence": "Search launch.",
            "recommendation": "promote",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("assessment-submit", a))
    a.refresh_from_db()
    assert a.status == "submitted"
    assert any("ready for a decision" in m.subject for m in mail.outbox)

    client.force_login(world.hr)
    assert "Record the decision" in client.get(url("assessment-detail", a)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("assessment-decide", a),
            {"decision": "promote", "note": "Well deserved.", "effective_on": "2030-03-01"},
        )
    person = Person.objects.get(pk=world.person.pk)
    assert (person.level_key, person.position_since) == ("l2", datetime.date(2030, 3, 1))
    assert "vic@example.com" in mail.outbox[-1].to

    client.force_login(world.viewer)
    history = client.get(reverse("ladders:person-detail", kwargs={"pk": person.pk}))
    assert f"Promoted after assessment #{a.pk}" in history.content.decode()
    mine = client.get(url("assessment-list")).content.decode()
    assert "Vic Viewer" in mine and "Promote" in mine
    page = client.get(url("assessment-detail", a)).content.decode()
    assert "Search launch." in page and "Well deserved." in page


def test_self_assessment_first_then_both_ratings_side_by_side(client, world):
    client.force_login(world.lead)
    client.post(
        url("assessment-create"),
        {"person": world.person.pk, "target": "role-1.l2", "self_assessment": "on"},
    )
    a = Assessment.objects.get()
    assert a.status == "self_review"
    assert client.get(url("assessment-edit", a)).status_code == 302  # waiting for Vic

    client.force_login(world.viewer)
    assert "Your turn" in client.get(url("assessment-list")).content.decode()
    self_ratings = {f"{C1}-rating": "met", f"{C2}-rating": "met", f"{C3}-rating": "not_yet"}
    client.post(
        url("assessment-self", a),
        {
            "action": "save",
            **self_ratings,
            f"{C1}-evidence": "I shipped *search*.",
            f"{C1}-kind": "goal",
            f"{C1}-title": "Own a feature end to end",
        },
    )
    a.refresh_from_db()
    assert a.status == "self_review"  # saved, not handed in
    client.post(
        url("assessment-self", a),
        {"action": "submit", **self_ratings, f"{C1}-evidence": "I shipped *search*."},
    )
    a.refresh_from_db()
    assert a.status == "draft" and a.self_submitted_at is not None

    client.force_login(world.lead)
    lead_ratings = {f"{C1}-rating": "met", f"{C2}-rating": "partly", f"{C3}-rating": "not_yet"}
    client.post(url("assessment-edit", a), {"ratings": "1", **lead_ratings})
    edit = client.get(url("assessment-edit", a)).content.decode()
    assert "Their self-assessment" in edit and "Own a feature end to end" in edit
    assert "<em>search</em>" in edit
    assert edit.count("Your rating differs from theirs") == 1  # c2 only
    detail = client.get(url("assessment-detail", a)).content.decode()
    assert 'class="cf-differs"' in detail and "1 differs from the self-assessment" in detail


def test_a_newer_version_is_noticed_and_re_pinning_carries_ratings_by_key(client, world):
    a = assessment_in_state("draft", person=world.person, lead=world.lead)
    client.force_login(world.lead)
    ratings = {f"{key}-rating": "met" for key in (C1, C2, C3)}
    client.post(url("assessment-edit", a), {"ratings": "1", **ratings})

    def change(document):
        criteria = document["criteria"]
        next(c for c in criteria if c["key"] == C2)["text"] = "Reviews the work of two others."
        criteria.append(
            {
                "key": "role-1.l2.c4",
                "position": "role-1.l2",
                "text": "Mentors a new joiner.",
                "required": True,
                "evidence_hint": "",
            }
        )

    edit_draft(world.framework, change)
    version_publish(framework=world.framework)
    page = client.get(url("assessment-detail", a)).content.decode()
    assert "v2 was published" in page and "Re-pin to v2" in page
    assert "Mentors a new joiner." in page and '<ins class="cf-word">two </ins>' in page
    response = client.post(url("assessment-repin", a), follow=True)
    assert "Moved to v2: 3 ratings kept, 1 new criterion to rate, none dropped" in (
        response.content.decode()
    )
    a.refresh_from_db()
    assert a.version.number == 2
    assert dict(a.ratings.values_list("criterion_key", "rating")) == {
        C1: "met",
        C2: "met",
        C3: "met",
        "role-1.l2.c4": "not_assessed",
    }
    assert "Re-pin" not in client.get(url("assessment-detail", a)).content.decode()


def test_impact_preview_counts_people_and_assessments_for_editors_and_hr(client, world):
    colleague = PersonFactory(name="Lou Level2", framework=world.framework, level_key="l2")
    PersonFactory(name="Untouched", framework=world.framework, level_key="l3")
    assessment_in_state("draft", person=world.person, lead=world.lead)  # aims at role-1.l2

    def change(document):
        next(c for c in document["criteria"] if c["key"] == C1)["text"] = "Ships alone."

    edit_draft(world.framework, change)
    revision = revision_save(framework=world.framework, user=world.editor, summary="c1").revision
    round = round_open(
        revision=revision,
        user=world.editor,
        reviewers=[(world.hr, StakeholderGroup.objects.get(name="HR"))],
        due_on=datetime.date.today() + datetime.timedelta(days=7),
    )
    page_url = reverse("reviews:round-detail", kwargs={"slug": "design", "pk": round.pk})

    client.force_login(world.editor)
    html = client.get(page_url).content.decode()
    assert "Who publishing affects" in html
    assert "<dt>People</dt><dd>1</dd>" in html and "<dt>Assessments</dt><dd>1</dd>" in html
    assert colleague.name not in html  # editors see counts only

    client.force_login(world.hr)
    html = client.get(page_url).content.decode()
    assert colleague.name in html and f"#{Assessment.objects.get().pk} Vic Viewer" in html
    assert "Untouched" not in html


@pytest.mark.parametrize("people", [1, 30])
def test_impact_preview_queries_do_not_grow_with_people(world, django_assert_num_queries, people):
    for _ in range(people):
        person = PersonFactory(framework=world.framework, level_key="l2", lead=world.lead)
        assessment_in_state("draft", person=person, lead=world.lead, target=None)
    edit_draft(world.framework, lambda d: d["criteria"][0].update(text="Changed."))
    new_document = document_from_version(draft_get(framework=world.framework))
    # the current version, its document (one query per kind: nine), people, assessments
    with django_assert_num_queries(12):
        impact = version_impact(world.framework, new_document=new_document)
    assert impact.people_count == people
