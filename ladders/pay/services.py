"""Writes about pay. Bands and salaries are never changed or deleted: every edit adds a row,
so their history is complete."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ladders.models import PayBand, PaySettings, Person, Salary
from roles.models import Framework, Position, SubRole


def pay_settings_save(
    *, user: AbstractBaseUser, framework: Framework, enabled: bool, visible_to_people: bool
) -> PaySettings:
    with transaction.atomic():
        settings, _created = PaySettings.objects.select_for_update().get_or_create(
            framework=framework
        )
        settings.enabled = enabled
        settings.visible_to_people = visible_to_people
        settings.updated_by = user
        settings.save()
    return settings


def pay_band_add(
    *,
    user: AbstractBaseUser,
    framework: Framework,
    position: Position,
    sub_role: SubRole | None,
    region: str,
    currency: str,
    minimum: Decimal,
    midpoint: Decimal,
    maximum: Decimal,
    effective_on: datetime.date,
) -> PayBand:
    """A new version of a position's band (for a specialism and region) from a date on.
    Raises ValidationError for a band that breaks a rule (minimum ≤ midpoint ≤ maximum,
    positive amounts, an ISO 4217 code)."""
    band = PayBand(
        framework=framework,
        role_key=position.role.key,
        level_key=position.level.key,
        sub_role_key=sub_role.key if sub_role else "",
        region=region.strip(),
        currency=currency.strip().upper(),
        minimum=minimum,
        midpoint=midpoint,
        maximum=maximum,
        effective_on=effective_on,
        created_by=user,
    )
    with transaction.atomic():
        band.full_clean(exclude=["framework", "created_by"])
        band.save()
    return band


def salary_record(
    *,
    user: AbstractBaseUser,
    person: Person,
    amount: Decimal,
    currency: str,
    region: str,
    effective_on: datetime.date,
) -> Salary:
    """A person's salary from a date on; earlier ones stay in their history."""
    salary = Salary(
        person=person,
        amount=amount,
        currency=currency.strip().upper(),
        region=region.strip(),
        effective_on=effective_on,
        created_by=user,
    )
    with transaction.atomic():
        salary.full_clean(exclude=["person", "created_by"])
        salary.save()
    return salary
