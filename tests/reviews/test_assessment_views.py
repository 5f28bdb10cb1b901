"""Assessment pages through the client: list, start, rate, submit, decide, export, and their
query counts (STYLE.md section 8)."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.assessments.ratings import EvidenceInput, RatingInput
from reviews.assessments.services import ratings_save
from reviews.models import Assessment, EvidenceItem
from roles.access import HR_GROUP, LEADS_GROUP
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
    framework = PublishedFrameworkFactory(slug="design", content=make_assessment_document())
    lead = UserFactory(username="lead", groups=[LEADS_GROUP])
    hr = UserFactory(username="hr", groups=[HR_GROUP])
    person = PersonFactory(name="Mia Report", framework=framework, lead=lead)
    return SimpleNamespace(framework=framework, lead=lead, hr=hr, person=person)


def url(name: str, a: Assessment | None = None) -> str:
    return reverse(f"reviews:{name}", kwargs={"pk": a.pk} if a else {})


def notes(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_list_filters_by_status_and_person(client, world):
    draft = assessment_in_state("draft", person=world.person, lead=world.lead)
    other = PersonFactory(name="Noor Other", framework=world.framework, lead=world.lead)
    assessment_in_state("submitted", person=other, lead=world.lead)
    client.force_login(world.hr)
    html = client.get(url("assessment-list")).content.decode()
    assert "Mia Report" in html and "Noor Other" in html and "Decided assessments (CSV)" in html
    html = client.get(url("assessment-list") + "?status=submitted").content.decode()
    assert "Noor Other" in html and "Mia Report" not in html
    html = client.get(url("assessment-list") + f"?person={world.person.pk}").content.decode()
    assert "Mia Report" in html and "Noor Other" not in html
    assert f'href="{url("assessment-detail", draft)}"' in html


def test_list_has_an_empty_state(client, world):
    client.force_login(world.lead)
    assert "No assessments yet" in client.get(url("assessment-list")).content.decode()


def test_the_person_page_links_to_their_assessments(client, world):
    client.force_login(world.hr)
    page = client.get(reverse("ladders:person-detail", kwargs={"pk": world.person.pk}))
    assert f"{url('assessment-list')}?person={world.person.pk}" in page.content.decode()


def test_start_picks_the_person_then_defaults_to_the_next_level(client, world):
    client.force_login(world.lead)
    picker = client.get(url("assessment-create")).content.decode()
    assert "Mia Report" in picker
    page = client.get(url("assessment-create") + f"?person={world.person.pk}").content.decode()
    assert '<option value="role-1.l2" selected>' in page
    assert "Level 1 Role 2 (lateral move)" in page and "Level 3 Role 1" not in page
    response = client.post(
        url("assessment-create"), {"person": world.person.pk, "target": "role-2.l1"}
    )
    a = Assessment.objects.get()
    assert response.url == url("assessment-edit", a)
    assert a.target_position_key == "role-2.l1"


def test_edit_page_has_a_labelled_radio_group_per_criterion_and_both_positions(client, world):
    a = assessment_in_state("draft", person=world.person, lead=world.lead)
    client.force_login(world.lead)
    html = client.get(url("assessment-edit", a)).content.decode()
    assert html.count("<fieldset") >= 4  # three criteria and the recommendation
    assert html.count("<legend") >= 4
    assert "Ships features on their own." in html  # the criterion, Markdown stripped
    assert "What changes from Level 1 Role 1 to Level 2 Role 1" in html
    assert "Competency 1 statement 1 at" in html and "cf-word" in html  # word-level changes


def test_saving_a_draft_keeps_sanitised_markdown_evidence_and_items(client, world):
    a = assessment_in_state("draft", person=world.person, lead=world.lead)
    client.force_login(world.lead)
    data = {
        "ratings": "1",
        f"{C1}-rating": "met",
        f"{C1}-evidence": "**Shipped** <script>alert(1)</script>",
        f"{C1}-kind": "link",
        f"{C1}-title": "Launch post",
        f"{C1}-url": "https://example.com/launch",
        f"{C2}-rating": "partly",
        f"{C3}-rating": "not_assessed",
        "summary": "Good.",
        "recommendation": "promote",
    }
    response = client.post(url("assessment-edit", a), data)
    assert response.status_code == 302 and "Saved as draft" in notes(response)
    html = client.get(url("assessment-detail", a)).content.decode()
    assert "<strong>Shipped</strong>" in html and "<script>alert" not in html
    assert 'href="https://example.com/launch"' in html


def test_an_unsafe_link_is_refused_and_nothing_is_saved(client, world):
    a = assessment_in_state("draft", person=world.person, lead=world.lead)
    client.force_login(world.lead)
    data = {
        "ratings": "1",
        f"{C1}-rating": "met",
        f"{C1}-title": "x",
        f"{C1}-url": "javascript:alert(1)",
        f"{C2}-rating": "met",
        f"{C3}-rating": "met",
    }
    response = client.post(url("assessment-edit", a), data)
    assert response.status_code == 200
    assert "Nothing was saved" in notes(response)
    assert not EvidenceItem.objects.exists()
    assert set(a.ratings.values_list("rating", flat=True)) == {"not_assessed"}


def test_submit_is_refused_with_the_missing_criteria_listed(client, world):
    a = assessment_in_state("draft", person=world.person, lead=world.lead)
    client.force_login(world.lead)
    response = client.post(url("assessment-submit", a), {})
    assert response.url.endswith("#progress")
    text = notes(response)
    assert "Ships features **on their own**." in text and "Reviews the work of others." in text
    assert "Speaks at a meetup" not in text  # optional
    a.refresh_from_db()
    assert a.status == "draft"


def test_save_and_submit_from_the_edit_page(client, world):
    a = assessment_in_state("draft", person=world.person, lead=world.lead)
    client.force_login(world.lead)
    data = {"ratings": "1", f"{C1}-rating": "met", f"{C2}-rating": "met", f"{C3}-rating": "met"}
    response = client.post(url("assessment-submit", a), {**data, "recommendation": "promote"})
    assert response.url == url("assessment-detail", a)
    a.refresh_from_db()
    assert a.status == "submitted"


def test_not_yet_without_a_note_shows_the_form_again(client, world):
    a = assessment_in_state("submitted", person=world.person, lead=world.lead)
    client.force_login(world.hr)
    response = client.post(
        url("assessment-decide", a), {"decision": "not_yet", "effective_on": "2030-01-01"}
    )
    assert response.status_code == 400
    assert "Say why not yet" in response.content.decode()
    a.refresh_from_db()
    assert a.status == "submitted"


def test_detail_page_is_printable(client, world):
    a = assessment_in_state("promoted", person=world.person, lead=world.lead, hr=world.hr)
    client.force_login(world.hr)
    html = client.get(url("assessment-detail", a)).content.decode()
    assert 'class="d-flex flex-wrap gap-2 mb-3 no-print"' in html  # the action bar
    assert "data-print" in html and "Printed from careerframe" in html
    assert "This assessment is read-only" in html


def test_csv_export_of_decided_assessments_neutralises_formulas(client, world):
    world.person.name = "=HYPERLINK(1)"
    world.person.save()
    a = assessment_in_state("promoted", person=world.person, lead=world.lead, hr=world.hr)
    other = PersonFactory(name="Open Draft", framework=world.framework, lead=world.lead)
    assessment_in_state("draft", person=other, lead=world.lead)
    client.force_login(world.hr)
    response = client.get(url("assessment-export"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:9] == [
        "Assessment",
        "Person",
        "Email",
        "From position",
        "Target position",
        "Decision",
        "Decided at",
        "Decided by",
        "Note",
    ]
    assert len(rows) == 2  # the draft is not exported
    row = rows[1]
    assert row[:6] == [
        str(a.pk),
        "'=HYPERLINK(1)",
        world.person.email,
        "Level 1 Role 1",
        "Level 2 Role 1",
        "Promote",
    ]
    assert row[7] == (world.hr.get_full_name() or "hr")


# --- query counts -------------------------------------------------------------------------


def _document_with_criteria(n: int) -> dict:
    document = make_assessment_document()
    document["criteria"] = [c for c in document["criteria"] if c["position"] != "role-1.l2"]
    document["criteria"] += [
        {"key": f"role-1.l2.k{i}", "position": "role-1.l2", "text": f"Criterion {i}."}
        for i in range(n)
    ]
    for c in document["criteria"]:
        c.setdefault("required", True)
        c.setdefault("evidence_hint", "")
    return document


@pytest.mark.django_db
@pytest.mark.parametrize("criteria", [1, 20])
def test_assessment_page_queries_do_not_grow_with_criteria(
    client, django_assert_num_queries, criteria
):
    framework = PublishedFrameworkFactory(content=_document_with_criteria(criteria))
    lead = UserFactory(username="lead", groups=[LEADS_GROUP])
    a = assessment_in_state(
        "draft", person=PersonFactory(framework=framework, lead=lead), lead=lead
    )
    item = (EvidenceInput("link", "Work", "https://example.com"),)
    ratings = {r.criterion_key: RatingInput("met", "Yes.", item) for r in a.ratings.all()}
    ratings_save(assessment=a, user=lead, ratings=ratings)
    client.force_login(lead)
    # session, user with their profile (language, time zone), the assessment (+ person,
    # version, users), the lead's groups, positions, criteria, ratings, evidence items, the two
    # positions' comparison (two), current version, the header's unread notifications
    for name in ("assessment-edit", "assessment-detail"):
        with django_assert_num_queries(12):
            assert client.get(url(name, a)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("assessments", [1, 50])
def test_assessment_list_queries_do_not_grow_with_assessments(
    client, django_assert_num_queries, assessments
):
    framework = PublishedFrameworkFactory(content=make_assessment_document())
    hr = UserFactory(username="hr", groups=[HR_GROUP])
    for _ in range(assessments):
        assessment_in_state("draft", person=PersonFactory(framework=framework), lead=hr)
    client.force_login(hr)
    # session, user with their profile (language, time zone), HR's groups, the page count, the
    # assessments with person, framework, version and users joined and titles, criteria counts
    # and current version as subqueries, the header's unread notifications
    with django_assert_num_queries(6):
        response = client.get(url("assessment-list"))
    assert response.content.decode().count("Level 1 Role 1") == assessments
