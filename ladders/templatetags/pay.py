"""Showing money: amounts localised (grouped, the reader's decimal mark) with their currency."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def money(value: Decimal | None, currency: str = "") -> str:
    """``{{ band.minimum|money:band.currency }}``: "EUR 123,457" or "EUR 98,765.43" in
    English, "EUR 123.457" in Dutch; cents only when there are any."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 2
    number = formats.number_format(value, places, use_l10n=True, force_grouping=True)
    return f"{currency}\xa0{number}" if currency else number


@register.filter
def lookup(mapping: dict, key: str) -> str:
    """``{{ names|lookup:band.sub_role_key }}``: a dict's value, or the key itself."""
    return mapping.get(key, key)
