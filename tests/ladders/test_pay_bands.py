"""Pay bands and salaries: the rules (versioning, validation, which band applies, where a
salary sits in it), tested through the services and selectors without the client."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ladders.models import PayBand, Salary
from ladders.pay import selectors, services
from ladders.pay.bands import BandStatus, in_force, position_in_band
from ladders.people.services import placement_for
from ladders.templatetags.pay import money
from roles.models import FrameworkVersion, Position
from tests.factories import (
    PayBandFactory,
    PersonFactory,
    PublishedFrameworkFactory,
    UserFactory,
    make_document,
    make_tracked_document,
)

TODAY = datetime.date(2026, 6, 15)


def _position(framework, role="role-1", level="l1") -> Position:
    return placement_for(framework=framework, role=role, level=level).position


def _add(framework, user, *, level="l1", minimum, midpoint, maximum, on, region="", sub=None):
    return services.pay_band_add(
        user=user,
        framework=framework,
        position=_position(framework, level=level),
        sub_role=sub,
        region=region,
        currency="eur",
        minimum=Decimal(minimum),
        midpoint=Decimal(midpoint),
        maximum=Decimal(maximum),
        effective_on=on,
    )


@pytest.fixture
def framework(db):
    return PublishedFrameworkFactory(slug="design", content=make_document(roles=2, levels=3))


@pytest.fixture
def hr(db):
    return UserFactory(username="hr", groups=["HR"])


@pytest.mark.django_db
def test_an_edit_adds_a_row_and_the_latest_effective_band_is_in_force(framework, hr):
    old = _add(framework, hr, minimum=100, midpoint=150, maximum=200, on=datetime.date(2025, 1, 1))
    new = _add(framework, hr, minimum=110, midpoint=160, maximum=210, on=datetime.date(2026, 1, 1))
    later = _add(
        framework, hr, minimum=120, midpoint=170, maximum=220, on=datetime.date(2027, 1, 1)
    )
    assert PayBand.objects.count() == 3
    old.refresh_from_db()
    assert old.minimum == 100  # never overwritten
    assert [b.pk for b in selectors.bands_in_force(PayBand.objects.all(), today=TODAY)] == [new.pk]
    history = selectors.band_history(framework, "role-1", "l1", today=TODAY)
    assert [(r.band.pk, r.status) for r in history] == [
        (later.pk, "scheduled"),
        (new.pk, "in-force"),
        (old.pk, "superseded"),
    ]
    assert new.currency == "EUR" and new.created_by == hr


@pytest.mark.django_db
def test_two_bands_on_the_same_date_the_one_recorded_last_wins(framework, hr):
    on = datetime.date(2026, 1, 1)
    _add(framework, hr, minimum=100, midpoint=150, maximum=200, on=on)
    fixed = _add(framework, hr, minimum=101, midpoint=151, maximum=201, on=on)
    (current,) = selectors.bands_in_force(PayBand.objects.all(), today=TODAY)
    assert current.pk == fixed.pk


@pytest.mark.django_db
def test_regions_and_specialisms_each_have_their_own_band(db, hr):
    framework = PublishedFrameworkFactory(content=make_document(roles=1, levels=2, sub_roles=1))
    on = datetime.date(2026, 1, 1)
    sub = placement_for(framework=framework, role="role-1", level="l1", sub_role="Sub 1").sub_role
    everywhere = _add(framework, hr, minimum=100, midpoint=150, maximum=200, on=on)
    london = _add(framework, hr, minimum=130, midpoint=180, maximum=230, on=on, region="London")
    special = _add(framework, hr, minimum=140, midpoint=190, maximum=240, on=on, sub=sub)
    bands = selectors.bands_in_force(PayBand.objects.all(), today=TODAY)
    assert len(bands) == 3

    def pick(sub_role_key, region):
        return selectors.band_for(
            bands, role_key="role-1", level_key="l1", sub_role_key=sub_role_key, region=region
        )

    assert pick("", "") == everywhere
    assert pick("", "london") == london  # regions match whatever their case
    assert pick("", "Paris") == everywhere
    assert pick(sub.key, "") == special
    assert pick(sub.key, "London") == london  # the region's band before the specialism's
    assert (
        selectors.band_for(bands, role_key="role-1", level_key="l2", sub_role_key="", region="")
        is None
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"minimum": "200", "midpoint": "150", "maximum": "300"}, "midpoint"),
        ({"minimum": "100", "midpoint": "350", "maximum": "300"}, "maximum"),
        ({"minimum": "0", "midpoint": "150", "maximum": "300"}, "minimum"),
        ({"minimum": "-5", "midpoint": "150", "maximum": "300"}, "minimum"),
    ],
)
def test_a_band_must_be_positive_and_ordered(framework, hr, values, field):
    with pytest.raises(ValidationError) as caught:
        _add(framework, hr, on=TODAY, **values)
    assert field in caught.value.message_dict
    assert not PayBand.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("currency", ["EU", "EURO", "E1R", "€€€"])
def test_a_band_needs_an_iso_4217_code(framework, hr, currency):
    with pytest.raises(ValidationError) as caught:
        services.pay_band_add(
            user=hr,
            framework=framework,
            position=_position(framework),
            sub_role=None,
            region="",
            currency=currency,
            minimum=Decimal(1),
            midpoint=Decimal(2),
            maximum=Decimal(3),
            effective_on=TODAY,
        )
    assert "currency" in caught.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_an_unordered_band(framework):
    with pytest.raises(IntegrityError), transaction.atomic():
        PayBandFactory(framework=framework, minimum=300, midpoint=200, maximum=400)


@pytest.mark.django_db
def test_salaries_keep_their_history_and_the_latest_applies(framework, hr):
    person = PersonFactory(framework=framework)
    first = services.salary_record(
        user=hr,
        person=person,
        amount=Decimal("45000"),
        currency="eur",
        region="",
        effective_on=datetime.date(2025, 1, 1),
    )
    raise_ = services.salary_record(
        user=hr,
        person=person,
        amount=Decimal("48000"),
        currency="EUR",
        region="",
        effective_on=datetime.date(2026, 1, 1),
    )
    PayBandFactory(framework=framework, minimum=40000, midpoint=50000, maximum=60000)
    pay = selectors.person_pay(person, today=TODAY)
    assert pay.salary == raise_ and pay.history == [raise_, first]
    assert pay.band is None  # pay bands are off for the framework
    services.pay_settings_save(user=hr, framework=framework, enabled=True, visible_to_people=False)
    pay = selectors.person_pay(person, today=TODAY)
    assert pay.band is not None and pay.place.status == BandStatus.WITHIN
    assert pay.place.percent == 40 and pay.place.compa_ratio == Decimal("0.96")
    assert Salary.objects.filter(person=person).count() == 2
    with pytest.raises(ValidationError):
        services.salary_record(
            user=hr,
            person=person,
            amount=Decimal("0"),
            currency="EUR",
            region="",
            effective_on=TODAY,
        )


@pytest.mark.parametrize(
    ("amount", "currency", "status", "percent", "compa"),
    [
        ("40000", "EUR", BandStatus.WITHIN, 0, "0.80"),
        ("55000", "EUR", BandStatus.WITHIN, 75, "1.10"),
        ("60000", "EUR", BandStatus.WITHIN, 100, "1.20"),
        ("35000", "EUR", BandStatus.BELOW, -25, "0.70"),
        ("66000", "EUR", BandStatus.ABOVE, 130, "1.32"),
        ("50000", "USD", BandStatus.OTHER_CURRENCY, None, None),
    ],
)
def test_position_in_band(amount, currency, status, percent, compa):
    place = position_in_band(
        Decimal(amount),
        currency,
        minimum=Decimal(40000),
        midpoint=Decimal(50000),
        maximum=Decimal(60000),
        band_currency="EUR",
    )
    assert place.status == status
    assert place.percent == (None if percent is None else Decimal(percent))
    assert place.compa_ratio == (None if compa is None else Decimal(compa))


def test_a_band_of_one_amount_has_no_range():
    place = position_in_band(
        Decimal(100),
        "EUR",
        minimum=Decimal(100),
        midpoint=Decimal(100),
        maximum=Decimal(100),
        band_currency="EUR",
    )
    assert (place.status, place.percent, place.compa_ratio) == ("within", 0, 1)


def test_in_force_ignores_future_rows_and_prefers_the_later_record():
    class Row:
        def __init__(self, pk, on):
            self.pk, self.effective_on = pk, on

    rows = [
        Row(1, datetime.date(2026, 1, 1)),
        Row(2, datetime.date(2026, 1, 1)),
        Row(3, TODAY + datetime.timedelta(days=1)),
    ]
    assert in_force(rows, key=lambda r: "k", today=TODAY)["k"].pk == 2
    assert in_force(rows[2:], key=lambda r: "k", today=TODAY) == {}


def test_money_is_localised_with_its_currency(settings):
    from django.utils import translation

    with translation.override("en-gb"):
        assert money(Decimal("123457"), "EUR") == "EUR\xa0123,457"
        assert money(Decimal("98765.43"), "GBP") == "GBP\xa098,765.43"
    with translation.override("nl"):
        assert money(Decimal("123457"), "EUR") == "EUR\xa0123.457"
        assert money(Decimal("98765.43"), "EUR") == "EUR\xa098.765,43"
    assert money(None) == "—"


@pytest.mark.django_db
def test_next_position_follows_the_promotion_on_the_same_track(db):
    framework = PublishedFrameworkFactory(content=make_tracked_document())
    version = FrameworkVersion.objects.current().get(framework=framework)
    assert selectors.next_position(version, "design", "junior").key == "design.mid"
    # two promotions out of mid (to the IC and the manager track): the first step
    assert selectors.next_position(version, "design", "mid").key == "design.lead-ic"
    # a track switch is not a promotion
    assert selectors.next_position(version, "design", "lead-ic") is None
    assert selectors.next_position(version, "design", "nowhere") is None
