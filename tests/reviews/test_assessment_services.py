"""Assessment services, called directly (STYLE.md section 8): start, rate, self-assess,
submit, decide, re-pin; decided assessments refuse every write."""

from __future__ import annotations

import copy
import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ladders.models import PositionChange
from reviews.assessments import services
from reviews.assessments.ratings import EvidenceInput, RatingInput
from reviews.models import Assessment, CriterionRating, EvidenceItem
from roles.access import HR_GROUP, LEADS_GROUP
from roles.models import Position
from roles.serialization import document_from_version
from roles.services import draft_get, draft_replace, version_publish
from tests.factories import (
    PersonFactory,
    PublishedFrameworkFactory,
    UserFactory,
    assessment_in_state,
    make_assessment_document,
    rate_all,
)

C1, C2, C3 = "role-1.l2.c1", "role-1.l2.c2", "role-1.l2.c3"


@pytest.fixture
def world(db):
    framework = PublishedFrameworkFactory(slug="design", content=make_assessment_document())
    lead = UserFactory(username="lead", groups=[LEADS_GROUP])
    hr = UserFactory(username="hr", groups=[HR_GROUP])
    login = UserFactory(username="mia")
    person = PersonFactory(name="Mia", framework=framework, lead=lead, user=login)
    return SimpleNamespace(framework=framework, lead=lead, hr=hr, login=login, person=person)


def position(framework, key: str) -> Position:
    return Position.objects.select_related("role", "level").get(
        version__framework=framework, version__status="published", key=key
    )


def publish_change(framework, change) -> None:
    document = copy.deepcopy(document_from_version(draft_get(framework=framework)))
    change(document)
    draft_replace(framework=framework, document=document)
    version_publish(framework=framework)


def test_start_defaults_to_the_next_level_and_pins_the_current_version(world):
    a = services.assessment_start(lead=world.lead, person=world.person)
    assert (a.from_role_key, a.from_level_key) == ("role-1", "l1")
    assert (a.target_role_key, a.target_level_key) == ("role-1", "l2")
    assert a.version.is_current and a.status == "draft" and a.assessor == world.lead
    assert set(a.ratings.values_list("criterion_key", flat=True)) == {C1, C2, C3}
    assert set(a.ratings.values_list("rating", flat=True)) == {"not_assessed"}


def test_lead_may_pick_a_lateral_move_but_not_an_unconnected_position(world):
    lateral = services.assessment_start(
        lead=world.lead, person=world.person, target=position(world.framework, "role-2.l1")
    )
    assert lateral.target_position_key == "role-2.l1"
    lateral.delete()
    with pytest.raises(ValidationError, match="not a step"):
        services.assessment_start(
            lead=world.lead, person=world.person, target=position(world.framework, "role-1.l3")
        )


def test_hr_may_assess_for_any_position(world):
    a = services.assessment_start(
        lead=world.hr, person=world.person, target=position(world.framework, "role-1.l3")
    )
    assert a.target_position_key == "role-1.l3"


def test_a_lead_cannot_assess_someone_they_do_not_lead(world):
    other = UserFactory(username="otherlead", groups=[LEADS_GROUP])
    with pytest.raises(PermissionDenied):
        services.assessment_start(lead=other, person=world.person)


def test_one_assessment_in_progress_per_person(world):
    first = services.assessment_start(lead=world.lead, person=world.person)
    with pytest.raises(ValidationError, match=f"#{first.pk}"):
        services.assessment_start(lead=world.hr, person=world.person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            person=world.person,
            version=first.version,
            from_role_key="role-1",
            from_level_key="l1",
            target_role_key="role-1",
            target_level_key="l3",
        )


def test_ratings_save_stores_ratings_evidence_and_items(world):
    a = services.assessment_start(lead=world.lead, person=world.person)
    services.ratings_save(
        assessment=a,
        user=world.lead,
        ratings={
            C1: RatingInput(
                rating="met",
                evidence="Shipped *search*.",
                add=(EvidenceInput("link", "Search launch", "https://example.com/s"),),
            ),
            C2: RatingInput(rating="partly", add=(EvidenceInput("okr", "Q3 OKR: reviews"),)),
        },
        summary="Strong year.",
        recommendation="promote",
    )
    rating = a.ratings.get(criterion_key=C1)
    assert (rating.rating, rating.evidence) == ("met", "Shipped *search*.")
    assert [i.title for i in rating.items.all()] == ["Search launch"]
    item = a.ratings.get(criterion_key=C2).items.get()
    services.ratings_save(
        assessment=a, user=world.lead, ratings={C2: RatingInput("partly", remove={item.pk})}
    )
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()
    a.refresh_from_db()
    assert (a.summary, a.recommendation) == ("Strong year.", "promote")


def test_evidence_links_must_be_web_addresses(world):
    a = services.assessment_start(lead=world.lead, person=world.person)
    bad = RatingInput("met", add=(EvidenceInput("link", "x", "javascript:alert(1)"),))
    with pytest.raises(ValidationError):
        services.ratings_save(assessment=a, user=world.lead, ratings={C1: bad})
    assert not EvidenceItem.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceItem.objects.create(
            rating=a.ratings.first(), kind="link", title="x", url="javascript:alert(1)"
        )


def test_submit_lists_the_required_criteria_not_rated_yet(world):
    a = services.assessment_start(lead=world.lead, person=world.person)
    services.ratings_save(assessment=a, user=world.lead, ratings={C1: RatingInput("met")})
    with pytest.raises(services.MissingRatings) as refused:
        services.assessment_submit(assessment=a, user=world.lead)
    assert refused.value.criteria == ["Reviews the work of others."]  # c3 is optional
    text = " ".join(refused.value.messages)
    assert "Reviews the work of others." in text and "Speaks at a meetup" not in text
    assert "recommendation" in text
    a.refresh_from_db()
    assert a.status == "draft"


def test_promotion_moves_the_person_and_records_it_in_their_history(world):
    a = assessment_in_state("submitted", person=world.person, lead=world.lead)
    on = datetime.date(2030, 1, 15)
    services.assessment_decide(
        assessment=a, user=world.hr, decision="promote", note="Well done.", effective_on=on
    )
    world.person.refresh_from_db()
    assert (world.person.level_key, world.person.position_since) == ("l2", on)
    change = PositionChange.objects.filter(person=world.person).first()
    assert change.reason == f"Promoted after assessment #{a.pk}"
    assert (change.changed_on, change.level_key, change.recorded_by) == (on, "l2", world.hr)
    a.refresh_from_db()
    assert (a.status, a.decision, a.decided_by) == ("decided", "promote", world.hr)


def test_not_yet_needs_a_note_and_keeps_the_person_where_they_are(world):
    a = assessment_in_state("submitted", person=world.person, lead=world.lead)
    with pytest.raises(ValidationError):
        services.assessment_decide(assessment=a, user=world.hr, decision="not_yet")
    services.assessment_decide(
        assessment=a, user=world.hr, decision="not_yet", note="Lead a project first."
    )
    world.person.refresh_from_db()
    assert world.person.level_key == "l1"


def test_only_hr_decides(world):
    a = assessment_in_state("submitted", person=world.person, lead=world.lead)
    with pytest.raises(PermissionDenied):
        services.assessment_decide(assessment=a, user=world.lead, decision="promote")


def test_decided_assessments_refuse_every_write_and_change_nothing(world):
    a = assessment_in_state("promoted", person=world.person, lead=world.lead, hr=world.hr)
    before = list(CriterionRating.objects.filter(assessment=a).values())
    writes = [
        lambda: services.assessment_decide(assessment=a, user=world.hr, decision="not_yet"),
        lambda: services.ratings_save(
            assessment=a, user=world.lead, ratings={C1: RatingInput("not_yet")}
        ),
        lambda: services.assessment_submit(assessment=a, user=world.lead),
        lambda: services.assessment_decide(
            assessment=a, user=world.hr, decision="not_yet", note="x"
        ),
        lambda: services.assessment_repin(assessment=a, user=world.lead),
        lambda: services.self_assessment_request(assessment=a, user=world.lead),
        lambda: services.self_assessment_withdraw(assessment=a, user=world.lead),
        lambda: services.self_assessment_submit(assessment=a, user=world.login),
        lambda: services.assessment_delete(assessment=a, user=world.hr),
    ]
    for write in writes:
        with pytest.raises(ValidationError, match="read-only"):
            write()
    assert list(CriterionRating.objects.filter(assessment=a).values()) == before
    a.refresh_from_db()
    assert (a.status, a.decision) == ("decided", "promote")


def test_self_assessment_comes_back_to_the_lead_with_differences(world):
    a = services.assessment_start(lead=world.lead, person=world.person, self_assessment=True)
    assert a.status == "self_review"
    with pytest.raises(ValidationError):
        services.ratings_save(assessment=a, user=world.lead, ratings={C1: RatingInput("met")})
    with pytest.raises(PermissionDenied):
        services.self_assessment_submit(assessment=a, user=world.lead)
    services.self_assessment_submit(
        assessment=a,
        user=world.login,
        ratings={
            C1: RatingInput("met", "I did.", add=(EvidenceInput("goal", "Own a feature"),)),
            C2: RatingInput("met"),
        },
    )
    a.refresh_from_db()
    assert a.status == "draft" and a.self_submitted_at is not None
    services.ratings_save(
        assessment=a, user=world.lead, ratings={C1: RatingInput("met"), C2: RatingInput("partly")}
    )
    ratings = {r.criterion_key: r for r in a.ratings.all()}
    assert not ratings[C1].differs and ratings[C2].differs
    assert ratings[C1].self_evidence == "I did." and ratings[C1].items.get().by_self


def test_a_person_without_login_cannot_be_asked_to_rate_themselves(world):
    world.person.user = None
    world.person.save()
    with pytest.raises(ValidationError, match="no login"):
        services.assessment_start(lead=world.lead, person=world.person, self_assessment=True)
    assert not Assessment.objects.exists()


def test_repin_carries_ratings_by_key(world):
    a = services.assessment_start(lead=world.lead, person=world.person)
    services.ratings_save(
        assessment=a,
        user=world.lead,
        ratings={C1: RatingInput("met", "Yes."), C2: RatingInput("partly"), C3: RatingInput("met")},
    )

    def change(document):
        criteria = document["criteria"]
        criteria[:] = [c for c in criteria if c["key"] != C3]
        next(c for c in criteria if c["key"] == C1)["text"] = "Ships features alone."
        criteria.append(
            {
                "key": "role-1.l2.c4",
                "position": "role-1.l2",
                "text": "Mentors.",
                "required": True,
                "evidence_hint": "",
            }
        )

    publish_change(world.framework, change)
    result = services.assessment_repin(assessment=a, user=world.lead)
    assert (result.kept, result.added, result.dropped) == (2, 1, 1)
    a.refresh_from_db()
    assert a.version.number == 2
    ratings = dict(a.ratings.values_list("criterion_key", "rating"))
    assert ratings == {C1: "met", C2: "partly", "role-1.l2.c4": "not_assessed"}
    assert a.ratings.get(criterion_key=C1).evidence == "Yes."
    with pytest.raises(ValidationError, match="already on the current version"):
        services.assessment_repin(assessment=a, user=world.lead)


def test_submitted_assessments_stay_on_their_version(world):
    a = assessment_in_state("submitted", person=world.person, lead=world.lead)
    publish_change(world.framework, lambda d: d["criteria"][0].update(text="Changed."))
    with pytest.raises(ValidationError, match="submitted"):
        services.assessment_repin(assessment=a, user=world.lead)


def test_status_and_decision_fields_are_consistent_in_the_database(world):
    a = services.assessment_start(lead=world.lead, person=world.person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=a.pk).update(status="decided")
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=a.pk).update(decision="promote")
    rate_all(a, world.lead)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=a.pk).update(status="self_review")
