"""People pages: who sees whom, add/edit with history, CSV import, distribution, queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ladders.models import Person
from ladders.people.services import person_save, placement_for
from tests.conftest import ACTORS
from tests.factories import PublishedFrameworkFactory, UserFactory, make_document

LOGIN = "login"


@pytest.fixture
def people_setup(make_actor):
    framework = PublishedFrameworkFactory(slug="design", content=make_document(roles=2, levels=3))
    users = {actor: make_actor(actor, framework) for actor in ACTORS}
    placement = placement_for(framework=framework, role="role-1", level="l1")
    mine = person_save(
        user=None,
        placement=placement,
        name="Mia Report",
        email="mia@example.com",
        lead=users["lead"],
    )
    other = person_save(
        user=None,
        placement=placement,
        name="Oscar Other",
        email="oscar@example.com",
        lead=UserFactory(username="otherlead", groups=["Leads"]),
    )
    myself = person_save(
        user=None,
        placement=placement,
        name="Vic Viewer",
        email="viewer@example.com",
        login=users["viewer"],
    )
    return framework, users, {"mine": mine, "other": other, "myself": myself}


def _as(client, users, actor):
    if actor != "anonymous":
        client.force_login(users[actor])


LIST_PAGES = ["person-list", "person-distribution"]
HR_PAGES = ["person-create", "person-import"]


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", LIST_PAGES + HR_PAGES)
def test_people_pages_access_matrix(client, people_setup, actor, name):
    _framework, users, _people = people_setup
    _as(client, users, actor)
    response = client.get(reverse(f"ladders:{name}"))
    if actor == "anonymous":
        assert response.status_code == 302 and reverse("login") in response.url
        return
    allowed = actor in ("hr", "admin") or (actor == "lead" and name in LIST_PAGES)
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("who", ["mine", "other", "myself"])
def test_person_page_is_for_hr_their_lead_and_themselves(client, people_setup, actor, who):
    _framework, users, people = people_setup
    _as(client, users, actor)
    person = people[who]
    response = client.get(reverse("ladders:person-detail", kwargs={"pk": person.pk}))
    if actor == "anonymous":
        assert response.status_code == 302 and reverse("login") in response.url
        return
    allowed = (
        actor in ("hr", "admin")
        or (actor == "lead" and who == "mine")
        or (actor == "viewer" and who == "myself")
    )
    assert response.status_code == (200 if allowed else 404)
    edit = client.get(reverse("ladders:person-edit", kwargs={"pk": person.pk}))
    assert edit.status_code == (200 if actor in ("hr", "admin") else 404)


@pytest.mark.django_db
def test_lead_sees_only_their_people_in_the_directory(client, people_setup):
    _framework, users, _people = people_setup
    client.force_login(users["lead"])
    html = client.get(reverse("ladders:person-list")).content.decode()
    assert "Mia Report" in html and "Oscar Other" not in html


@pytest.mark.django_db
def test_hr_moves_a_person_and_the_history_records_it(client, people_setup):
    framework, users, people = people_setup
    client.force_login(users["hr"])
    person = people["mine"]
    response = client.post(
        reverse("ladders:person-edit", kwargs={"pk": person.pk}),
        {
            "name": "Mia Report",
            "email": "mia@example.com",
            "lead": users["lead"].pk,
            "framework": framework.pk,
            "role": "Role 1",
            "level": "Level 2",
            "since": "2026-03-01",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.level_key == "l2" and str(person.position_since) == "2026-03-01"
    page = client.get(reverse("ladders:person-detail", kwargs={"pk": person.pk})).content.decode()
    assert "Level 2 Role 1" in page and "Position changed" in page


@pytest.mark.django_db
def test_person_form_shows_an_unknown_level_as_a_field_error(client, people_setup):
    framework, users, _people = people_setup
    client.force_login(users["hr"])
    response = client.post(
        reverse("ladders:person-create"),
        {"name": "New", "framework": framework.pk, "role": "role-1", "level": "l9"},
    )
    assert response.status_code == 200
    assert "has no level" in response.content.decode()
    assert not Person.objects.filter(name="New").exists()


@pytest.mark.django_db
def test_people_csv_import_in_the_browser_is_all_or_nothing(client, people_setup):
    _framework, users, _people = people_setup
    client.force_login(users["hr"])
    url = reverse("ladders:person-import")
    bad = (
        b"name,email,lead_email,framework,role,level,sub_role\n"
        b"Ann,ann@example.com,,design,Role 1,Level 1,\n"
        b"Bob,bob@example.com,,design,Role 1,Level 7,\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"file": SimpleUploadedFile("people.csv", bad)})
    html = response.content.decode()
    assert "people.csv:3: level:" in html
    assert not Person.objects.filter(email="ann@example.com").exists()
    good = bad.replace(b"Level 7", b"Level 3")
    response = client.post(url, {"file": SimpleUploadedFile("people.csv", good)})
    assert response.status_code == 302
    assert Person.objects.get(email="bob@example.com").level_key == "l3"


@pytest.mark.django_db
def test_distribution_counts_people_per_role_and_level(client, people_setup):
    _framework, users, _people = people_setup
    client.force_login(users["hr"])
    response = client.get(reverse("ladders:person-distribution"))
    table = response.context["tables"][0]
    assert table.total == 3
    assert ("Role 1", [3], 3) in table.rows
    assert "distribution-data" in response.content.decode()


def _queries(client, django_assert_max_num_queries, url, limit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_directory_and_distribution_queries_do_not_grow_with_people(client, people_setup):
    framework, users, _people = people_setup
    client.force_login(users["hr"])
    pages = [reverse("ladders:person-list"), reverse("ladders:person-distribution")]
    before = [_queries(client, None, url, 0) for url in pages]
    placement = placement_for(framework=framework, role="role-2", level="l3")
    Person.objects.bulk_create(
        Person(
            name=f"P{i}",
            email=f"p{i}@example.com",
            framework=framework,
            role_key=placement.position.role.key,
            level_key=placement.position.level.key,
        )
        for i in range(200)
    )
    after = [_queries(client, None, url, 0) for url in pages]
    # session, user, groups (access), people, positions, specialisms, leads for the filter
    assert after == before
    assert max(after) <= 12


def test_time_at_level_counts_whole_days():
    import datetime

    from django.utils import timezone

    from ladders.templatetags.ladders import time_at_level

    today = timezone.localdate()
    assert time_at_level(today) == "since today"
    assert time_at_level(today - datetime.timedelta(days=3)) == "3\xa0days"
    assert "year" in time_at_level(today - datetime.timedelta(days=400))
