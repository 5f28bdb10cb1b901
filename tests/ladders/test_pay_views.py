"""Pay pages: HR's pay bands, settings and history; a person's salary; the band on the
position page (who sees it); position in band on the level distribution; query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ladders.models import PayBand, PaySettings, Person, Salary
from ladders.pay.services import pay_band_add, pay_settings_save, salary_record
from ladders.people.services import person_save, placement_for
from roles.services import draft_replace, version_publish
from tests.conftest import ACTORS
from tests.factories import (
    PayBandFactory,
    PublishedFrameworkFactory,
    SalaryFactory,
    UserFactory,
    make_document,
)

LOW, MID, HIGH = "61111", "63333", "65555"  # role-1.l2's band
SINCE = datetime.date(2024, 1, 1)


def _band(framework, user, role, level, low=LOW, mid=MID, high=HIGH, **extra):
    placement = placement_for(
        framework=framework, role=role, level=level, sub_role=extra.pop("sub_role", "")
    )
    return pay_band_add(
        user=user,
        framework=framework,
        position=placement.position,
        sub_role=placement.sub_role,
        region=extra.pop("region", ""),
        currency="EUR",
        minimum=Decimal(low),
        midpoint=Decimal(mid),
        maximum=Decimal(high),
        effective_on=extra.pop("effective_on", SINCE),
    )


@pytest.fixture
def setup(make_actor):
    """Framework ``design`` (2 roles x 3 levels, a specialism each), pay bands on and shown
    to people; Vic (the viewer) at role-1.l1 led by the lead; a band at role-1.l2."""
    framework = PublishedFrameworkFactory(
        slug="design", content=make_document(roles=2, levels=3, sub_roles=1)
    )
    users = {actor: make_actor(actor, framework) for actor in ACTORS}
    vic = person_save(
        user=None,
        placement=placement_for(framework=framework, role="role-1", level="l1"),
        name="Vic Viewer",
        lead=users["lead"],
        login=users["viewer"],
    )
    pay_settings_save(user=users["hr"], framework=framework, enabled=True, visible_to_people=True)
    _band(framework, users["hr"], "role-1", "l2")
    return framework, users, vic


def _as(client, users, actor):
    if actor != "anonymous":
        client.force_login(users[actor])


def _pay_urls(vic) -> dict[str, str]:
    return {
        "list": reverse("ladders:pay-band-list", kwargs={"slug": "design"}),
        "create": reverse("ladders:pay-band-create", kwargs={"slug": "design"}),
        "history": reverse(
            "ladders:pay-band-history", kwargs={"slug": "design", "role": "role-1", "level": "l2"}
        ),
        "salary": reverse("ladders:salary-create", kwargs={"pk": vic.pk}),
    }


# --- access -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("page", ["list", "create", "history", "salary"])
def test_pay_pages_are_for_hr_only(client, setup, actor, page):
    _framework, users, vic = setup
    _as(client, users, actor)
    response = client.get(_pay_urls(vic)[page])
    if actor == "anonymous":
        assert response.status_code == 302 and reverse("login") in response.url
        return
    assert response.status_code == (200 if actor in ("hr", "admin") else 404)
    if response.status_code == 200 and page in ("list", "history"):
        assert "EUR\xa061,111" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("page", ["create", "salary"])
def test_only_hr_can_write_pay(client, setup, actor, page):
    framework, users, vic = setup
    _as(client, users, actor)
    data = {
        "position": "role-1.l3",
        "currency": "EUR",
        "minimum": "1",
        "midpoint": "2",
        "maximum": "3",
        "amount": "4",
        "effective_on": "2025-01-01",
    }
    response = client.post(_pay_urls(vic)[page], data)
    settings = client.post(
        reverse("ladders:pay-settings-edit", kwargs={"slug": "design"}), {"enabled": ""}
    )
    if actor == "anonymous":
        assert response.status_code == 302 and reverse("login") in response.url
        assert settings.status_code == 302 and reverse("login") in settings.url
    elif actor in ("hr", "admin"):
        assert response.status_code == 302 and settings.status_code == 302
    else:
        assert response.status_code == 404 and settings.status_code == 404
    written = actor in ("hr", "admin")
    assert PayBand.objects.filter(level_key="l3").exists() is (written and page == "create")
    assert Salary.objects.exists() is (written and page == "salary")
    assert PaySettings.objects.get(framework=framework).enabled is not written


@pytest.mark.django_db
def test_pay_pages_of_unknown_or_unpublished_things_are_404_for_hr(client, setup):
    _framework, users, _vic = setup
    client.force_login(users["hr"])
    assert client.get(reverse("ladders:pay-band-list", kwargs={"slug": "nope"})).status_code == 404
    history = reverse(
        "ladders:pay-band-history", kwargs={"slug": "design", "role": "role-1", "level": "l9"}
    )
    assert client.get(history).status_code == 404
    assert client.get(reverse("ladders:salary-create", kwargs={"pk": 999})).status_code == 404


@pytest.mark.django_db
def test_wrong_methods_are_refused(client, setup):
    _framework, users, vic = setup
    client.force_login(users["hr"])
    urls = _pay_urls(vic)
    assert client.post(urls["list"]).status_code == 405
    assert client.post(urls["history"]).status_code == 405
    assert (
        client.get(reverse("ladders:pay-settings-edit", kwargs={"slug": "design"})).status_code
        == 405
    )
    assert client.delete(urls["create"]).status_code == 405


# --- HR edits bands ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_hr_changes_a_band_by_adding_one_and_the_old_one_stays_in_the_history(client, setup):
    _framework, users, vic = setup
    client.force_login(users["hr"])
    urls = _pay_urls(vic)
    form = client.get(urls["create"], {"position": "role-1.l2"})
    assert form.context["form"].initial["minimum"] == Decimal(LOW)  # starts from the band in force
    assert f'value="{timezone.localdate().isoformat()}"' in form.content.decode()  # a date input
    response = client.post(
        urls["create"],
        {
            "position": "role-1.l2",
            "sub_role": "",
            "region": "",
            "currency": "eur",
            "minimum": "62000",
            "midpoint": "64000",
            "maximum": "66000.50",
            "effective_on": "2025-03-01",
        },
    )
    assert response.status_code == 302 and response.url == urls["history"]
    assert PayBand.objects.filter(level_key="l2").count() == 2
    history = client.get(urls["history"]).content.decode()
    assert "EUR\xa066,000.50" in history and "EUR\xa061,111" in history
    assert "Superseded" in history and "In force" in history
    overview = client.get(urls["list"]).content.decode()
    assert "EUR\xa062,000" in overview and "61,111" not in overview


@pytest.mark.django_db
def test_a_band_is_typed_the_way_the_readers_language_writes_numbers(client, setup):
    _framework, users, vic = setup
    client.force_login(users["hr"])
    response = client.post(
        _pay_urls(vic)["create"],
        {
            "position": "role-2.l1",
            "currency": "EUR",
            "minimum": "40000,50",
            "midpoint": "45000",
            "maximum": "50000",
            "effective_on": "2025-03-01",
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 302
    assert PayBand.objects.get(role_key="role-2").minimum == Decimal("40000.50")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"midpoint": "70000"}, "midpoint", "must not be below the minimum"),
        ({"maximum": "60000"}, "maximum", "must not be below the midpoint"),
        ({"currency": "E1"}, "currency", "Ensure this value has at least 3 characters"),
        ({"currency": "1EU"}, "currency", "ISO 4217"),
        ({"minimum": "lots"}, "minimum", "Enter a number"),
        ({"minimum": "-1"}, "minimum", "greater than or equal to 0.01"),
        ({"position": "role-9.l1"}, "position", "Select a valid choice"),
        ({"sub_role": "role-2.sub-1"}, "sub_role", "belongs to another role"),
        ({"effective_on": "someday"}, "effective_on", "Enter a valid date"),
        ({"maximum": "12345678901234"}, "maximum", "digits in total"),
    ],
)
def test_bad_band_input_is_a_form_error(client, setup, change, field, message):
    _framework, users, vic = setup
    client.force_login(users["hr"])
    data = {
        "position": "role-1.l3",
        "sub_role": "role-1.sub-1",
        "currency": "EUR",
        "minimum": "80000",
        "midpoint": "90000",
        "maximum": "100000",
        "effective_on": "2025-01-01",
    }
    response = client.post(_pay_urls(vic)["create"], {**data, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not PayBand.objects.filter(level_key="l3").exists()


@pytest.mark.django_db
def test_hr_turns_pay_bands_and_their_visibility_on_and_off(client, setup):
    framework, users, _vic = setup
    client.force_login(users["hr"])
    url = reverse("ladders:pay-settings-edit", kwargs={"slug": "design"})
    client.post(url, {"enabled": "on"})
    settings = PaySettings.objects.get(framework=framework)
    assert settings.enabled and not settings.visible_to_people
    assert settings.updated_by == users["hr"]
    client.post(url, {})
    settings.refresh_from_db()
    assert not settings.enabled
    page = client.get(reverse("ladders:pay-band-list", kwargs={"slug": "design"})).content.decode()
    assert "Pay bands are off" in page


# --- the position page --------------------------------------------------------------------------


def _position_page(client, role="role-1", level="l2", **kwargs):
    url = reverse(
        "ladders:position-detail", kwargs={"slug": "design", "role": role, "level": level, **kwargs}
    )
    return client.get(url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("level", ["l1", "l2", "l3"])  # Vic's own, their next, further up
@pytest.mark.parametrize(("enabled", "visible"), [(True, True), (True, False), (False, True)])
def test_who_sees_a_band_on_the_position_page(client, setup, actor, level, enabled, visible):
    framework, users, _vic = setup
    for lv, amounts in {
        "l1": ("51111", "52222", "53333"),
        "l3": ("71111", "72222", "73333"),
    }.items():
        _band(framework, users["hr"], "role-1", lv, *amounts)
    pay_settings_save(
        user=users["hr"], framework=framework, enabled=enabled, visible_to_people=visible
    )
    _as(client, users, actor)
    html = _position_page(client, level=level)
    minimum = {"l1": "51,111", "l2": "61,111", "l3": "71,111"}[level]
    shown = enabled and (
        actor in ("hr", "admin") or (actor == "viewer" and visible and level in ("l1", "l2"))
    )
    assert (minimum in html) is shown
    assert ('id="pay-heading"' in html) is shown
    if actor not in ("hr", "admin"):  # not even a hint (HR always have the link to the page)
        assert shown or ("pay band" not in html.lower() and "/pay/" not in html)


@pytest.mark.django_db
def test_a_person_sees_their_own_band_on_the_position_page_with_its_label(client, setup):
    framework, users, _vic = setup
    _band(framework, users["hr"], "role-1", "l1", "51111", "52222", "53333")
    client.force_login(users["viewer"])
    own, following = _position_page(client, level="l1"), _position_page(client, level="l2")
    assert "Your position" in own and "EUR\xa052,222" in own
    assert "Your next level" in following and "EUR\xa063,333" in following
    assert "All pay bands" not in own  # HR's links
    # Another role's position at the same level is nobody's business.
    _band(framework, users["hr"], "role-2", "l1", "81111", "82222", "83333")
    assert "81,111" not in _position_page(client, role="role-2", level="l1")


@pytest.mark.django_db
def test_a_person_sees_only_the_bands_of_their_specialism(client, setup):
    framework, users, vic = setup
    _band(
        framework, users["hr"], "role-1", "l2", "91111", "92222", "93333", sub_role="role-1.sub-1"
    )
    _band(framework, users["hr"], "role-1", "l2", "94444", "95555", "96666", region="London")
    client.force_login(users["viewer"])
    html = _position_page(client)
    assert "61,111" in html and "94,444" in html and "91,111" not in html
    Person.objects.filter(pk=vic.pk).update(sub_role_key="role-1.sub-1")
    html = _position_page(client)
    assert "91,111" in html
    client.force_login(users["hr"])
    assert "91,111" in _position_page(client) and "London" in _position_page(client)


@pytest.mark.django_db
def test_nothing_for_a_person_who_left_or_sits_in_another_framework(client, setup):
    _framework, users, vic = setup
    client.force_login(users["viewer"])
    Person.objects.filter(pk=vic.pk).update(active=False)
    assert "61,111" not in _position_page(client)
    other = PublishedFrameworkFactory(slug="other", content=make_document(roles=1, levels=2))
    Person.objects.filter(pk=vic.pk).update(active=True, framework=other)
    assert "61,111" not in _position_page(client)


@pytest.mark.django_db
def test_an_older_version_never_shows_a_band(client, setup):
    framework, users, _vic = setup
    draft_replace(framework=framework, document=make_document(roles=2, levels=3, sub_roles=1))
    version_publish(framework=framework)
    client.force_login(users["hr"])
    assert "61,111" in _position_page(client, number=2)
    assert "61,111" not in _position_page(client, number=1)


@pytest.mark.django_db
def test_the_statements_fragment_never_carries_pay(client, setup):
    _framework, users, _vic = setup
    client.force_login(users["hr"])
    url = reverse(
        "ladders:position-detail", kwargs={"slug": "design", "role": "role-1", "level": "l2"}
    )
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="statements"' in fragment and "61,111" not in fragment


@pytest.mark.django_db
def test_hr_sees_a_position_without_a_band_as_such(client, setup):
    _framework, users, _vic = setup
    client.force_login(users["hr"])
    html = _position_page(client, level="l3")
    assert "No pay band is recorded for this position yet." in html


# --- the person page --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["hr", "admin", "lead", "viewer"])
def test_the_salary_is_on_the_person_page_for_hr_only(client, setup, actor):
    framework, users, vic = setup
    _band(framework, users["hr"], "role-1", "l1", "51111", "52222", "53333")
    salary_record(
        user=users["hr"],
        person=vic,
        amount=Decimal("52000.25"),
        currency="EUR",
        region="",
        effective_on=SINCE,
    )
    client.force_login(users[actor])
    html = client.get(reverse("ladders:person-detail", kwargs={"pk": vic.pk})).content.decode()
    hr = actor in ("hr", "admin")
    assert ("EUR\xa052,000.25" in html) is hr
    assert ('id="pay-heading"' in html) is hr
    assert ("52,222" in html) is hr  # the band of their position
    if hr:
        assert "% through the range" in html and "compa-ratio 1.00" in html
    else:
        assert "salary" not in html.lower()


@pytest.mark.django_db
def test_hr_records_a_salary_and_a_raise_keeps_the_history(client, setup):
    _framework, users, vic = setup
    client.force_login(users["hr"])
    url = reverse("ladders:salary-create", kwargs={"pk": vic.pk})
    for amount, on in (("50000", "2024-01-01"), ("54000", "2025-01-01")):
        response = client.post(
            url, {"amount": amount, "currency": "eur", "region": "", "effective_on": on}
        )
        assert response.status_code == 302
        assert response.url == reverse("ladders:person-detail", kwargs={"pk": vic.pk}) + "#pay"
    assert list(Salary.objects.filter(person=vic).values_list("amount", flat=True)) == [
        Decimal("54000"),
        Decimal("50000"),
    ]
    html = client.get(response.url).content.decode()
    assert "EUR\xa054,000" in html and "EUR\xa050,000" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "much"}, "amount"),
        ({"currency": "euro"}, "currency"),
        ({"effective_on": ""}, "effective_on"),
    ],
)
def test_bad_salary_input_is_a_form_error(client, setup, data, field):
    _framework, users, vic = setup
    client.force_login(users["hr"])
    valid = {"amount": "50000", "currency": "EUR", "region": "", "effective_on": "2025-01-01"}
    response = client.post(
        reverse("ladders:salary-create", kwargs={"pk": vic.pk}), {**valid, **data}
    )
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Salary.objects.exists()


# --- the level distribution -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["hr", "admin", "lead"])
def test_position_in_band_is_on_the_distribution_for_hr_only(client, setup, actor):
    framework, users, vic = setup
    _band(framework, users["hr"], "role-1", "l1", "40000", "50000", "60000")
    SalaryFactory(person=vic, amount=Decimal("55000"))
    client.force_login(users[actor])
    response = client.get(reverse("ladders:person-distribution"))
    html = response.content.decode()
    hr = actor in ("hr", "admin")
    assert ("Position in band" in html) is hr
    assert ("75% through the range" in html) is hr
    assert ("1.10" in html) is hr
    if not hr:
        assert response.context["pay_tables"] == []


@pytest.mark.django_db
def test_the_distribution_shows_below_above_and_missing(client, setup):
    framework, users, vic = setup
    _band(framework, users["hr"], "role-1", "l1", "40000", "50000", "60000")
    placement = placement_for(framework=framework, role="role-1", level="l1")
    low = person_save(user=None, placement=placement, name="Lou Low")
    high = person_save(user=None, placement=placement, name="Hal High")
    person_save(user=None, placement=placement, name="Nia None")
    dollars = person_save(user=None, placement=placement, name="Dee Dollar")
    SalaryFactory(person=low, amount=30000)
    SalaryFactory(person=high, amount=70000)
    SalaryFactory(person=dollars, currency="USD")
    client.force_login(users["hr"])
    (table,) = client.get(reverse("ladders:person-distribution")).context["pay_tables"]
    places = {row.person.name: row.place.status if row.place else None for row in table.rows}
    assert places == {
        "Dee Dollar": "other-currency",
        "Hal High": "above",
        "Lou Low": "below",
        "Nia None": None,
        "Vic Viewer": None,
    }


@pytest.mark.django_db
def test_no_position_in_band_while_pay_bands_are_off(client, setup):
    framework, users, vic = setup
    SalaryFactory(person=vic)
    pay_settings_save(user=users["hr"], framework=framework, enabled=False, visible_to_people=True)
    client.force_login(users["hr"])
    response = client.get(reverse("ladders:person-distribution"))
    assert response.context["pay_tables"] == []


# --- query counts -----------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_distribution_queries_do_not_grow_with_people_and_salaries(
    client, setup, django_assert_max_num_queries
):
    framework, users, vic = setup
    client.force_login(users["hr"])
    url = reverse("ladders:person-distribution")
    SalaryFactory(person=vic)
    before = _count(client, url)
    placement = placement_for(framework=framework, role="role-1", level="l2")
    people = [
        person_save(user=None, placement=placement, name=f"P{i}", email=f"p{i}@example.com")
        for i in range(30)
    ]
    Salary.objects.bulk_create(
        Salary(person=p, amount=60000 + i, currency="EUR", effective_on=SINCE)
        for i, p in enumerate(people)
    )
    PayBandFactory.create_batch(5, framework=framework, level_key="l3")
    # session, user, groups, people, positions, specialisms, leads; pay: people, positions,
    # specialisms, bands, salaries
    with django_assert_max_num_queries(before):
        client.get(url)
    assert before <= 14


@pytest.mark.django_db
def test_pay_band_list_queries_do_not_grow_with_positions_and_bands(client, make_actor):
    hr = make_actor("hr")
    small = PublishedFrameworkFactory(slug="small", content=make_document(roles=1, levels=2))
    large = PublishedFrameworkFactory(
        slug="large", content=make_document(roles=12, levels=4, sub_roles=2)
    )
    PayBandFactory(framework=small)
    for role in range(1, 13):
        for level in range(1, 5):
            for region in ("", "London"):
                PayBandFactory.create_batch(
                    2,
                    framework=large,
                    role_key=f"role-{role}",
                    level_key=f"l{level}",
                    region=region,
                )
    client.force_login(hr)
    counts = [
        _count(client, reverse("ladders:pay-band-list", kwargs={"slug": s}))
        for s in ("small", "large")
    ]
    # session, user, groups, version (+framework), positions, specialisms, bands, settings (x2:
    # page and form)
    assert counts[0] == counts[1] <= 12


@pytest.mark.django_db
def test_person_page_queries_do_not_grow_with_salary_history(client, setup):
    _framework, users, vic = setup
    client.force_login(users["hr"])
    url = reverse("ladders:person-detail", kwargs={"pk": vic.pk})
    SalaryFactory(person=vic)
    before = _count(client, url)
    SalaryFactory.create_batch(20, person=vic, created_by=UserFactory())
    assert _count(client, url) == before
