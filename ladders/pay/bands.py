"""Pure pay arithmetic: which row is in force, and where a salary sits in a band."""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol, TypeVar


class Dated(Protocol):
    pk: int | None
    effective_on: datetime.date


D = TypeVar("D", bound=Dated)


def in_force(rows: Iterable[D], *, key, today: datetime.date) -> dict[Hashable, D]:
    """Per ``key(row)``, the row with the latest ``effective_on`` on or before ``today``;
    of two rows with the same date, the one recorded last (the higher pk)."""
    found: dict[Hashable, D] = {}
    for row in rows:
        if row.effective_on > today:
            continue
        k = key(row)
        best = found.get(k)
        if best is None or (row.effective_on, row.pk or 0) > (best.effective_on, best.pk or 0):
            found[k] = row
    return found


class BandStatus:
    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"
    OTHER_CURRENCY = "other-currency"


@dataclass(frozen=True)
class PositionInBand:
    """Where a salary sits in a band: ``percent`` is how far through the range (0 at the
    minimum, 100 at the maximum; may be below 0 or above 100), ``compa_ratio`` the salary
    divided by the midpoint. Both are None when the currencies differ."""

    status: str
    percent: Decimal | None
    compa_ratio: Decimal | None


def position_in_band(
    amount: Decimal,
    currency: str,
    *,
    minimum: Decimal,
    midpoint: Decimal,
    maximum: Decimal,
    band_currency: str,
) -> PositionInBand:
    if currency != band_currency:
        return PositionInBand(BandStatus.OTHER_CURRENCY, None, None)
    width = maximum - minimum
    if width:
        percent = (amount - minimum) * 100 / width
    else:
        percent = Decimal(0) if amount <= minimum else Decimal(100)
    percent = percent.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    compa = (amount / midpoint).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < minimum:
        status = BandStatus.BELOW
    elif amount > maximum:
        status = BandStatus.ABOVE
    else:
        status = BandStatus.WITHIN
    return PositionInBand(status, percent, compa)
