"""Read shapes for pay (HR only, except a person's own and next band). Each docstring gives
the query cost."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from ladders.models import PayBand, PaySettings, Person, Salary
from ladders.pay.bands import PositionInBand, in_force, position_in_band
from ladders.people.positions import PositionIndex
from ladders.selectors import next_level
from roles.access import User, is_hr
from roles.models import Framework, FrameworkVersion, Position, SubRole


def pay_settings(framework: Framework) -> PaySettings:
    """The framework's pay settings; unsaved defaults (off) when never set (one query)."""
    return PaySettings.objects.filter(framework=framework).first() or PaySettings(
        framework=framework
    )


def _band_order(band: PayBand) -> tuple[str, str]:
    return (band.sub_role_key, band.region.casefold())


def bands_in_force(bands: Iterable[PayBand], *, today: datetime.date) -> list[PayBand]:
    """The rows in force on ``today``, one per position, specialism and region."""
    found = in_force(bands, key=lambda b: b.band_key, today=today)
    return sorted(found.values(), key=lambda b: (b.role_key, b.level_key, *_band_order(b)))


def band_for(
    bands: Iterable[PayBand], *, role_key: str, level_key: str, sub_role_key: str, region: str
) -> PayBand | None:
    """Of bands in force, the one that applies to somebody: their specialism's before the
    every-specialism band, their region's before the everywhere band."""
    by_key = {b.band_key: b for b in bands}
    region = region.casefold()
    for sub, reg in ((sub_role_key, region), ("", region), (sub_role_key, ""), ("", "")):
        band = by_key.get((role_key, level_key, sub, reg))
        if band is not None:
            return band
    return None


# --- the HR pages -----------------------------------------------------------------------------


@dataclass
class PositionBands:
    position: Position
    bands: list[PayBand]


@dataclass
class BandOverview:
    positions: list[PositionBands]
    sub_roles: dict[str, SubRole]
    elsewhere: list[PayBand]  # in force for positions the current version no longer has


def band_overview(version: FrameworkVersion, *, today: datetime.date) -> BandOverview:
    """Every position of ``version`` in ladder order with the bands in force (three
    queries: positions, specialisms, bands)."""
    positions = sorted(
        Position.objects.filter(version=version).select_related("role", "level", "level__track"),
        key=lambda p: (
            p.role.order,
            -1 if p.level.track is None else p.level.track.order,
            p.level.rank,
            p.order,
        ),
    )
    sub_roles = {s.key: s for s in SubRole.objects.filter(version=version)}
    current = bands_in_force(
        PayBand.objects.filter(framework_id=version.framework_id, effective_on__lte=today),
        today=today,
    )
    by_position: dict[tuple[str, str], list[PayBand]] = {}
    for band in current:
        by_position.setdefault((band.role_key, band.level_key), []).append(band)
    rows = [PositionBands(p, by_position.pop((p.role.key, p.level.key), [])) for p in positions]
    elsewhere = [b for bands in by_position.values() for b in bands]
    return BandOverview(rows, sub_roles, elsewhere)


@dataclass
class HistoryRow:
    band: PayBand
    status: str  # "in-force", "scheduled" or "superseded"


def band_history(
    framework: Framework, role_key: str, level_key: str, *, today: datetime.date
) -> list[HistoryRow]:
    """Every recorded band of a position, newest first, each marked in force, scheduled or
    superseded (one query)."""
    rows = list(
        PayBand.objects.filter(framework=framework, role_key=role_key, level_key=level_key)
        .select_related("created_by")
        .order_by("-effective_on", "-pk")
    )
    current = {b.pk for b in bands_in_force(rows, today=today)}
    return [
        HistoryRow(
            b,
            "in-force"
            if b.pk in current
            else ("scheduled" if b.effective_on > today else "superseded"),
        )
        for b in rows
    ]


def position_by_keys(version: FrameworkVersion, role_key: str, level_key: str) -> Position:
    position = (
        Position.objects.filter(version=version, role__key=role_key, level__key=level_key)
        .select_related("role", "level")
        .first()
    )
    if position is None:
        raise Http404("No such position.")
    return position


# --- the published position page --------------------------------------------------------------


def next_position(version: FrameworkVersion, role_key: str, level_key: str) -> Position | None:
    """The next level (``ladders.selectors.next_level``) from the position at ``role_key``
    and ``level_key`` (two queries)."""
    current = (
        Position.objects.filter(version=version, role__key=role_key, level__key=level_key)
        .select_related("level")
        .first()
    )
    return next_level(current) if current is not None else None


@dataclass
class PositionPay:
    """What the viewer of a position page sees of its pay: ``relation`` is "hr", "own" or
    "next"."""

    bands: list[PayBand]
    relation: str
    sub_roles: dict[str, str]  # specialism key -> name


def position_pay(
    user: User, version: FrameworkVersion, position: Position, *, today: datetime.date
) -> PositionPay | None:
    """The bands of ``position`` its viewer may see, or None: HR see every band in force;
    a person with a login sees those of their own position and of their next level (their
    specialism's and the every-specialism bands), when the framework lets people see them.
    Nothing for anybody else, nor on older versions, nor when pay bands are off.

    No query for anonymous visitors; at most seven otherwise (settings, person, their
    position and promotion steps, bands, specialisms)."""
    if not user.is_authenticated or not version.is_current:
        return None
    settings = pay_settings(version.framework)
    if not settings.enabled:
        return None
    keys = (position.role.key, position.level.key)
    sub_role_keys: set[str] | None = None  # None: every specialism
    if is_hr(user):
        relation = "hr"
    else:
        if not settings.visible_to_people:
            return None
        person = Person.objects.filter(
            user=user, framework_id=version.framework_id, active=True
        ).first()
        if person is None:
            return None
        if (person.role_key, person.level_key) == keys:
            relation = "own"
        else:
            following = next_position(version, person.role_key, person.level_key)
            if following is None or following.pk != position.pk:
                return None
            relation = "next"
        sub_role_keys = {"", person.sub_role_key}
    bands = bands_in_force(
        PayBand.objects.filter(
            framework_id=version.framework_id,
            role_key=keys[0],
            level_key=keys[1],
            effective_on__lte=today,
        ),
        today=today,
    )
    if sub_role_keys is not None:
        bands = [b for b in bands if b.sub_role_key in sub_role_keys]
        if not bands:
            return None
    names = {}
    if any(b.sub_role_key for b in bands):
        names = dict(SubRole.objects.filter(role_id=position.role_id).values_list("key", "name"))
    return PositionPay(bands, relation, names)


# --- a person's pay, and everybody's position in band ----------------------------------------


@dataclass
class PersonPay:
    enabled: bool
    salary: Salary | None  # in force today
    band: PayBand | None  # the band that applies to them today
    place: PositionInBand | None
    history: list[Salary]


def _place(salary: Salary | None, band: PayBand | None) -> PositionInBand | None:
    if salary is None or band is None:
        return None
    return position_in_band(
        salary.amount,
        salary.currency,
        minimum=band.minimum,
        midpoint=band.midpoint,
        maximum=band.maximum,
        band_currency=band.currency,
    )


def person_pay(person: Person, *, today: datetime.date) -> PersonPay:
    """A person's salaries (newest first) and where the one in force sits in their band
    (three queries: salaries, settings, bands)."""
    history = list(
        Salary.objects.filter(person=person)
        .select_related("created_by")
        .order_by("-effective_on", "-pk")
    )
    salary = in_force(history, key=lambda s: s.person_id, today=today).get(person.pk)
    enabled = pay_settings(person.framework).enabled
    band = None
    if enabled:
        bands = bands_in_force(
            PayBand.objects.filter(
                framework_id=person.framework_id,
                role_key=person.role_key,
                level_key=person.level_key,
                effective_on__lte=today,
            ),
            today=today,
        )
        band = band_for(
            bands,
            role_key=person.role_key,
            level_key=person.level_key,
            sub_role_key=person.sub_role_key,
            region=salary.region if salary else "",
        )
    return PersonPay(enabled, salary, band, _place(salary, band), history)


@dataclass
class PayRow:
    person: Person
    title: str
    salary: Salary | None
    band: PayBand | None
    place: PositionInBand | None


@dataclass
class PayTable:
    framework: Framework
    rows: list[PayRow]


def pay_positions(people: QuerySet[Person], *, today: datetime.date) -> list[PayTable]:
    """Each active person's position in their band, per framework with pay bands on, for
    the level distribution (HR only). Five queries at most whatever the number of people:
    people, positions, specialisms, bands, salaries."""
    people = list(
        people.filter(active=True, framework__pay_settings__enabled=True)
        .select_related("framework")
        .order_by("framework__name", "name", "pk")
    )
    if not people:
        return []
    frameworks = {p.framework_id for p in people}
    index = PositionIndex(frameworks)
    bands: dict[int, list[PayBand]] = {}
    for band in bands_in_force(
        PayBand.objects.filter(framework_id__in=frameworks, effective_on__lte=today), today=today
    ):
        bands.setdefault(band.framework_id, []).append(band)
    salaries = in_force(
        Salary.objects.filter(person__in=[p.pk for p in people], effective_on__lte=today),
        key=lambda s: s.person_id,
        today=today,
    )
    tables: dict[int, PayTable] = {}
    for p in people:
        position = index.position(p.framework_id, p.role_key, p.level_key)
        salary = salaries.get(p.pk)
        band = band_for(
            bands.get(p.framework_id, []),
            role_key=p.role_key,
            level_key=p.level_key,
            sub_role_key=p.sub_role_key,
            region=salary.region if salary else "",
        )
        table = tables.setdefault(p.framework_id, PayTable(p.framework, []))
        title = position.title if position else p.position_key
        table.rows.append(PayRow(p, title, salary, band, _place(salary, band)))
    return list(tables.values())
