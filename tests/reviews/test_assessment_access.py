"""Who reaches each assessment page and action (DESIGN.md section 6), as a table.

Anonymous visitors are sent to log in. HR (and admins) reach everything and decide; the
person's lead (``Person.lead``) writes; the person (``Person.user``, here ``viewer``) reads
their own once submitted and rates themselves when asked. Everyone else gets 404, never 403.
Decided assessments refuse every write with a message and change nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.assessments.services import (
    assessment_decide,
    assessment_submit,
    self_assessment_submit,
)
from reviews.models import Assessment, CriterionRating
from tests.conftest import ACTORS
from tests.factories import (
    PersonFactory,
    PublishedFrameworkFactory,
    UserFactory,
    assessment_in_state,
    make_assessment_document,
    rate_all,
)

OK, GONE, LOGIN, REDIRECT = 200, 404, "login", 302
WRITERS = {"lead": REDIRECT, "hr": REDIRECT, "admin": REDIRECT}
READERS = {"lead": OK, "hr": OK, "admin": OK}
RATED = {f"role-1.l2.c{n}-rating": "met" for n in (1, 2, 3)}

# (url name, assessment state or None, method, POST data, who gets what; 404 otherwise)
CASES = [
    ("assessment-list", None, "get", None, {**READERS, "viewer": OK}),
    ("assessment-create", None, "get", None, READERS),
    ("assessment-create", None, "post", {"target": "role-1.l2"}, WRITERS),
    ("assessment-export", None, "get", None, {"hr": OK, "admin": OK}),
    ("assessment-detail", "draft", "get", None, READERS),
    ("assessment-detail", "self_review", "get", None, {**READERS, "viewer": REDIRECT}),
    ("assessment-detail", "submitted", "get", None, {**READERS, "viewer": OK}),
    ("assessment-detail", "promoted", "get", None, {**READERS, "viewer": OK}),
    ("assessment-edit", "draft", "get", None, READERS),
    ("assessment-edit", "draft", "post", {"ratings": "1", **RATED}, WRITERS),
    ("assessment-submit", "draft", "post", {}, WRITERS),
    ("assessment-self-request", "draft", "post", {}, WRITERS),
    ("assessment-self", "self_review", "get", None, {"viewer": OK}),
    ("assessment-self", "self_review", "post", {"action": "save", **RATED}, {"viewer": REDIRECT}),
    ("assessment-self-withdraw", "self_review", "post", {}, WRITERS),
    ("assessment-repin", "draft", "post", {}, WRITERS),
    ("assessment-delete", "draft", "get", None, READERS),
    ("assessment-delete", "draft", "post", {}, WRITERS),
    (
        "assessment-decide",
        "submitted",
        "post",
        {"decision": "promote", "effective_on": "2030-01-01"},
        {"hr": REDIRECT, "admin": REDIRECT},
    ),
]


@pytest.fixture
def setup(make_actor):
    framework = PublishedFrameworkFactory(slug="design", content=make_assessment_document())
    users = {actor: make_actor(actor, framework) for actor in ACTORS}
    person = PersonFactory(
        name="Vic Viewer", framework=framework, lead=users["lead"], user=users["viewer"]
    )
    return users, person


def _login(client, users, actor):
    if actor != "anonymous":
        client.force_login(users[actor])


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "state", "method", "data", "table"), CASES)
def test_assessment_access_matrix(client, setup, actor, name, state, method, data, table):
    users, person = setup
    kwargs = {}
    if state is not None:
        a = assessment_in_state(state, person=person, lead=users["lead"], hr=users["hr"])
        kwargs = {"pk": a.pk}
    if data is not None and name == "assessment-create":
        data = {**data, "person": person.pk}
    _login(client, users, actor)
    url = reverse(f"reviews:{name}", kwargs=kwargs)
    response = client.post(url, data) if method == "post" else client.get(url)
    expected = "login" if actor == "anonymous" else table.get(actor, GONE)
    if expected == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected, (name, state, actor)


@pytest.mark.django_db
def test_another_lead_gets_404_for_someone_else_s_people(client, setup):
    users, person = setup
    a = assessment_in_state("submitted", person=person, lead=users["lead"], hr=users["hr"])
    client.force_login(UserFactory(username="otherlead", groups=["Leads"]))
    for name in ("assessment-detail", "assessment-edit", "assessment-self"):
        assert client.get(reverse(f"reviews:{name}", kwargs={"pk": a.pk})).status_code == 404
    listing = client.get(reverse("reviews:assessment-list"))
    assert "Vic Viewer" not in listing.content.decode()


@pytest.mark.django_db
def test_the_person_never_sees_drafts_about_them(client, setup):
    users, person = setup
    assessment_in_state("draft", person=person, lead=users["lead"])
    client.force_login(users["viewer"])
    assert "Vic Viewer" not in client.get(reverse("reviews:assessment-list")).content.decode()


DECIDED_WRITES = [
    ("assessment-edit", {"ratings": "1", **RATED}),
    ("assessment-submit", {}),
    ("assessment-self-request", {}),
    ("assessment-self-withdraw", {}),
    ("assessment-repin", {}),
    ("assessment-delete", {}),
    ("assessment-decide", {"decision": "not_yet", "note": "x", "effective_on": "2030-01-01"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["lead", "hr"])
@pytest.mark.parametrize(("name", "data"), DECIDED_WRITES)
def test_decided_assessments_refuse_every_write_with_a_message(client, setup, actor, name, data):
    users, person = setup
    a = assessment_in_state("promoted", person=person, lead=users["lead"], hr=users["hr"])
    before = (
        Assessment.objects.filter(pk=a.pk).values().get(),
        list(CriterionRating.objects.values()),
    )
    client.force_login(users[actor])
    response = client.post(reverse(f"reviews:{name}", kwargs={"pk": a.pk}), data)
    if name == "assessment-decide" and actor == "lead":
        assert response.status_code == 404
    else:
        assert response.status_code == 302
        assert response.url == reverse("reviews:assessment-detail", kwargs={"pk": a.pk})
        texts = [str(m) for m in get_messages(response.wsgi_request)]
        assert any("read-only" in t for t in texts), texts
    after = (
        Assessment.objects.filter(pk=a.pk).values().get(),
        list(CriterionRating.objects.values()),
    )
    assert after == before


@pytest.mark.django_db
def test_the_person_cannot_change_their_self_assessment_once_decided(client, setup):
    users, person = setup
    a = assessment_in_state("self_review", person=person, lead=users["lead"])
    self_assessment_submit(assessment=a, user=users["viewer"])
    rate_all(a, users["lead"])
    assessment_submit(assessment=a, user=users["lead"])
    assessment_decide(assessment=a, user=users["hr"], decision="promote")
    client.force_login(users["viewer"])
    url = reverse("reviews:assessment-self", kwargs={"pk": a.pk})
    response = client.post(url, {"action": "submit", **RATED})
    assert response.status_code == 302
    assert any("read-only" in str(m) for m in get_messages(response.wsgi_request))
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["assessment-submit", "assessment-decide", "assessment-repin", "assessment-self-request"],
)
def test_actions_are_post_only(client, setup, name):
    users, person = setup
    a = assessment_in_state("draft", person=person, lead=users["lead"])
    client.force_login(users["hr"])
    assert client.get(reverse(f"reviews:{name}", kwargs={"pk": a.pk})).status_code == 405
