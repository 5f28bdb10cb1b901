"""Pay forms: they validate input; the views call the services."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ladders.models import validate_currency
from roles.models import Position, SubRole


def _money(label: str) -> forms.DecimalField:
    # localize: typed the way the reader's language writes numbers ("123.457,50" in Dutch).
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=Decimal("0.01"), localize=True
    )


def _currency() -> forms.CharField:
    return forms.CharField(
        label=_("Currency"),
        min_length=3,
        max_length=3,
        help_text=_("ISO 4217 code, e.g. EUR, GBP, USD."),
    )


def _effective_on() -> forms.DateField:
    return forms.DateField(
        label=_("Effective from"),
        initial=timezone.localdate,
        # A date input takes ISO dates only, whatever the language.
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


def _clean_currency(value: str) -> str:
    value = value.strip().upper()
    validate_currency(value)
    return value


class PaySettingsForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Pay bands on"),
        required=False,
        help_text=_("Off: bands are kept but shown nowhere except on this page."),
    )
    visible_to_people = forms.BooleanField(
        label=_("People see their own band and the next one"),
        required=False,
        help_text=_(
            "On the position pages, for people with a login: the band of their position and "
            "of their next level. Nobody sees anyone else's pay."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save settings")))


class PayBandForm(forms.Form):
    position = forms.ChoiceField(label=_("Position"))
    sub_role = forms.ChoiceField(label=_("Specialism"), required=False)
    region = forms.CharField(
        label=_("Region"),
        max_length=100,
        required=False,
        help_text=_("Empty: the band for everywhere. A region's band comes first where it exists."),
    )
    currency = _currency()
    minimum = _money(_("Minimum"))
    midpoint = _money(_("Midpoint"))
    maximum = _money(_("Maximum"))
    effective_on = _effective_on()

    def __init__(
        self, *args, positions: list[Position], sub_roles: list[SubRole], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.positions = {p.key: p for p in positions}
        self.sub_roles = {s.key: s for s in sub_roles}
        grouped: dict[str, list[tuple[str, str]]] = {}
        for p in positions:
            grouped.setdefault(p.role.name, []).append((p.key, p.title))
        self.fields["position"].choices = list(grouped.items())
        self.fields["sub_role"].choices = [("", _("Every specialism"))] + [
            (s.key, f"{s.role.name}: {s.name}") for s in sub_roles
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Add this band")))

    def clean_currency(self) -> str:
        return _clean_currency(self.cleaned_data["currency"])

    def clean(self):
        data = super().clean()
        position = self.positions.get(data.get("position", ""))
        sub_role = self.sub_roles.get(data.get("sub_role") or "")
        data["position_obj"], data["sub_role_obj"] = position, sub_role
        if position is not None and sub_role is not None and sub_role.role_id != position.role_id:
            self.add_error("sub_role", _("This specialism belongs to another role."))
        low, mid, high = (data.get(f) for f in ("minimum", "midpoint", "maximum"))
        if None not in (low, mid, high):
            if mid < low:
                self.add_error("midpoint", _("The midpoint must not be below the minimum."))
            if high < mid:
                self.add_error("maximum", _("The maximum must not be below the midpoint."))
        return data


class SalaryForm(forms.Form):
    amount = _money(_("Salary"))
    currency = _currency()
    region = forms.CharField(
        label=_("Region"),
        max_length=100,
        required=False,
        help_text=_(
            "Where they are paid: picks that region's band. Empty: the band for everywhere."
        ),
    )
    effective_on = _effective_on()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Record this salary")))

    def clean_currency(self) -> str:
        return _clean_currency(self.cleaned_data["currency"])
