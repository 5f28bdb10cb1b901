import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from careerframe.management.commands.load_demo import (
    DEMO_DOCUMENT,
    DEMO_NAME,
    DEMO_SLUG,
    DEMO_USERS,
)
from roles.access import HR_GROUP, LEADS_GROUP
from roles.document import FORMAT, pretty_json, validate_document
from roles.models import (
    Competency,
    Expectation,
    Framework,
    FrameworkVersion,
    Level,
    PathStep,
    Position,
    PromotionCriterion,
    Role,
    SubRole,
    Track,
    Visibility,
)

PASSWORD = "demo-password"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The command sets six passwords per run; the default hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_document() -> dict:
    return json.loads(DEMO_DOCUMENT.read_text(encoding="utf-8"))


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", password=PASSWORD, stdout=out)
    return out.getvalue()


def url(name: str, **kwargs) -> str:
    return reverse(f"ladders:{name}", kwargs={"slug": DEMO_SLUG, **kwargs})


# --- the document ------------------------------------------------------------------------


def test_demo_document_is_valid_and_in_canonical_export_form(demo_document):
    assert demo_document["format"] == FORMAT
    assert validate_document(demo_document) == []
    assert DEMO_DOCUMENT.read_text(encoding="utf-8") == pretty_json(demo_document)


def test_every_position_above_the_entry_level_has_promotion_criteria(demo_document):
    positions = {p["key"]: p for p in demo_document["positions"]}
    promoted_to = {s["to"] for s in demo_document["path_steps"] if s["kind"] == "promotion"}
    with_criteria = {c["position"] for c in demo_document["criteria"]}
    entry = set(positions) - promoted_to
    assert entry == {"design.junior", "content-design.junior"}
    assert promoted_to <= with_criteria
    assert set(positions) - entry <= with_criteria


def test_demo_document_has_sub_role_statements_and_two_competency_families(demo_document):
    assert {c["category"] for c in demo_document["competencies"]} == {
        "Project execution",
        "Internal collaboration",
    }
    sub_roles = {s["key"] for s in demo_document["sub_roles"]}
    used = {e["sub_role"] for e in demo_document["expectations"] if e["sub_role"]}
    assert used == sub_roles
    kinds = {s["kind"] for s in demo_document["path_steps"]}
    assert kinds == {"promotion", "lateral", "track_switch"}


# --- the command -------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_publishes_v1_with_the_document_content(demo_document):
    output = load_demo()
    assert f"Published {DEMO_NAME} v1." in output
    framework = Framework.objects.get(slug=DEMO_SLUG)
    assert framework.name == DEMO_NAME
    assert framework.visibility == Visibility.PUBLIC
    assert framework.description
    version = FrameworkVersion.objects.current().get(framework=framework)
    assert version.number == 1
    counts = {
        "tracks": Track,
        "roles": Role,
        "sub_roles": SubRole,
        "levels": Level,
        "competencies": Competency,
        "positions": Position,
        "expectations": Expectation,
        "criteria": PromotionCriterion,
        "path_steps": PathStep,
    }
    for kind, model in counts.items():
        assert model.objects.filter(version=version).count() == len(demo_document[kind]), kind


@pytest.mark.django_db
def test_load_demo_creates_the_demo_users_who_can_log_in(client):
    output = load_demo()
    User = get_user_model()
    assert set(User.objects.values_list("username", flat=True)) == set(DEMO_USERS)
    for username in DEMO_USERS:
        assert client.login(request=HttpRequest(), username=username, password=PASSWORD), username
        assert f"  {username} " in output
        client.logout()
    assert f"password: {PASSWORD}" in output
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()
    groups = {u.username: [g.name for g in u.groups.all()] for u in User.objects.all()}
    assert groups["lead"] == [LEADS_GROUP]
    assert groups["hr"] == [HR_GROUP]
    assert all(groups[name] == [] for name in ("viewer", "author", "stakeholder", "admin"))
    editors = Framework.objects.get(slug=DEMO_SLUG).editors.values_list("username", flat=True)
    assert list(editors) == ["author"]


@pytest.mark.django_db
def test_load_demo_twice_publishes_nothing_new():
    load_demo()
    output = load_demo()
    assert f"{DEMO_NAME} v1 is already current." in output
    assert "Published" not in output
    framework = Framework.objects.get(slug=DEMO_SLUG)
    assert FrameworkVersion.objects.filter(framework=framework, number__isnull=False).count() == 1
    assert get_user_model().objects.count() == len(DEMO_USERS)
    assert framework.editors.count() == 1


# --- the published pages -----------------------------------------------------------------


@pytest.fixture
def published_demo(db):
    load_demo()


def test_demo_overview_renders(client, published_demo):
    response = client.get(url("framework-detail"))
    html = response.content.decode()
    assert response.status_code == 200
    for title in ("Junior Designer", "Principal Designer", "Head of Design", "Content Designer"):
        assert title in html


def test_demo_role_page_renders_with_sub_roles(client, published_demo):
    response = client.get(url("role-detail", role="design"))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Senior Designer", "Lead Designer", "Design Lead", "UX researcher"):
        assert text in html


def test_demo_position_page_renders_statements_and_next_steps(client, published_demo):
    response = client.get(url("position-detail", role="design", level="senior"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Senior Designer" in html
    assert "Project execution" in html and "Internal collaboration" in html
    assert "Mentors junior and mid-level designers and helps them grow." in html
    assert "Lead Designer" in html and "Design Lead" in html  # the fork
    assert "Senior Content Designer" in html  # the lateral move


def test_demo_path_map_renders(client, published_demo):
    response = client.get(url("path-map"))
    html = response.content.decode()
    assert response.status_code == 200
    for title in ("Junior Content Designer", "Principal Designer", "Head of Design"):
        assert title in html


def test_demo_compare_renders(client, published_demo):
    response = client.get(url("position-compare"), {"from": "design.mid", "to": "design.senior"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Designer" in html and "Senior Designer" in html
    assert "Breaks ambiguous problems across a product area down" in html


# --- the demo review ---------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_opens_a_review_round_the_stakeholder_finds_in_their_inbox(client):
    from reviews.models import ReviewRound

    load_demo()
    load_demo()  # idempotent: still one round
    round = ReviewRound.objects.get(framework__slug=DEMO_SLUG)
    assert round.is_open and round.revision.number == 2
    assert sorted(round.reviewers.values_list("user__username", flat=True)) == [
        "hr",
        "stakeholder",
    ]
    client.login(request=HttpRequest(), username="stakeholder", password=PASSWORD)
    inbox = client.get(reverse("reviews:inbox")).content.decode()
    assert DEMO_NAME in inbox
    page = client.get(reverse("reviews:round-detail", kwargs={"slug": DEMO_SLUG, "pk": round.pk}))
    assert "shares what they learn" in page.content.decode()


# --- the demo people and assessments -----------------------------------------------------


@pytest.mark.django_db
def test_demo_has_people_and_an_assessment_in_every_state(client):
    from ladders.models import Person
    from reviews.models import Assessment

    load_demo()
    load_demo()  # idempotent: the same people and assessments
    people = Person.objects.filter(framework__slug=DEMO_SLUG)
    assert people.count() == 5
    assert set(people.values_list("lead__username", flat=True)) == {"lead"}
    vic = people.get(user__username="viewer")
    assessments = Assessment.objects.filter(person__in=people)
    assert sorted(assessments.values_list("status", "decision")) == [
        ("decided", "not_yet"),
        ("decided", "promote"),
        ("draft", ""),
        ("self_review", ""),
        ("submitted", ""),
    ]
    promoted = assessments.get(decision="promote")
    assert promoted.person.history.filter(
        reason=f"Promoted after assessment #{promoted.pk}"
    ).exists()

    client.login(request=HttpRequest(), username="lead", password=PASSWORD)
    listing = client.get(reverse("reviews:assessment-list")).content.decode()
    assert listing.count("Customer Success Design") == 5
    client.login(request=HttpRequest(), username="viewer", password=PASSWORD)
    assert "Your turn" in client.get(reverse("reviews:assessment-list")).content.decode()
    own = assessments.get(person=vic)
    page = client.get(reverse("reviews:assessment-self", kwargs={"pk": own.pk}))
    assert page.status_code == 200 and "Hand in to your lead" in page.content.decode()
