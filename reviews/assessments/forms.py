"""Assessment forms: they validate input; the views pass what they cleaned to the services."""

from __future__ import annotations

from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import URLValidator
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.assessments.page import CriterionRow
from reviews.assessments.ratings import EvidenceInput, RatingInput
from reviews.assessments.selectors import TargetChoices
from reviews.models import AssessmentDecision, AssessmentStatus, EvidenceKind, Rating

WEB_URL = URLValidator(schemes=["http", "https"])


class PersonPickForm(forms.Form):
    """Step one of starting an assessment (a GET form): whom to assess."""

    person = forms.ModelChoiceField(queryset=None, label=_("Who do you want to assess?"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.name} · {p.framework.name}"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("pick", gettext("Continue")))


class AssessmentStartForm(forms.Form):
    """Step two: the target position (defaulting to the next level) and whether the person
    rates themselves first."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    target = forms.ChoiceField(label=_("Target position"))
    self_assessment = forms.BooleanField(
        required=False,
        label=_("Ask them to rate themselves first"),
        help_text=_(
            "They rate each criterion with their own evidence; you then see both "
            "ratings side by side."
        ),
    )

    def __init__(self, *args, choices: TargetChoices, can_self: bool, **kwargs):
        super().__init__(*args, **kwargs)
        steps = [(o.position.key, o.label) for o in choices.options if o.kind != "other"]
        others = [(o.position.key, o.position.title) for o in choices.options if o.kind == "other"]
        grouped = []
        if steps:
            grouped.append((gettext("Next steps from their position"), steps))
        if others:
            grouped.append((gettext("Any other position"), others))
        self.fields["target"].choices = grouped
        if choices.default is not None:
            self.fields["target"].initial = choices.default.position.key
        if not can_self:
            del self.fields["self_assessment"]
        self.helper = FormHelper()
        self.helper.form_tag = False


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=AssessmentDecision.choices, widget=forms.RadioSelect, label=_("Decision")
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        label=_("Note"),
        help_text=_(
            "Required for “not yet”: what would make the difference. The person and "
            "their lead read it."
        ),
    )
    effective_on = forms.DateField(
        label=_("Promotion effective from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date in the person's history (promotions only)."),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("decide", gettext("Record the decision")))

    def clean(self):
        data = super().clean()
        if data.get("decision") == AssessmentDecision.NOT_YET and not data.get("note", "").strip():
            self.add_error("note", gettext("Say why not yet, and what would make the difference."))
        return data


@dataclass
class RatingFields:
    """One criterion's row of the ratings form."""

    row: CriterionRow
    rating: BoundField
    evidence: BoundField
    kind: BoundField
    title: BoundField
    url: BoundField
    remove: BoundField | None
    by_self: bool = False

    @property
    def own_items(self):
        return self.row.self_items if self.by_self else self.row.lead_items


class RatingsForm(forms.Form):
    """Per criterion: a rating, Markdown evidence, one new evidence item and which of the
    existing ones to remove. ``by_self`` builds the person's own self-assessment form; the
    lead's form also carries the summary and recommendation."""

    def __init__(
        self, *args, rows: list[CriterionRow], by_self: bool = False, assessment=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.by_self = by_self
        for row in rows:
            self._add_row(row)
        if not by_self:
            self.fields["summary"] = forms.CharField(
                required=False,
                widget=forms.Textarea(
                    attrs={"rows": 4, "class": "form-control", "aria-describedby": "summary-help"}
                ),
                max_length=20000,
                label=gettext("Summary"),
                help_text=gettext("Markdown. The overall picture, for HR and the person."),
                initial=assessment.summary if assessment else "",
            )
            self.fields["recommendation"] = forms.ChoiceField(
                required=False,
                choices=AssessmentDecision.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                label=gettext("Your recommendation"),
                initial=assessment.recommendation if assessment else "",
            )
        self.rows = [self._bind(row) for row in rows]

    def _add_row(self, row: CriterionRow) -> None:
        key = row.key
        rating = row.self_rating if self.by_self else row.lead_rating
        evidence = ""
        if row.rating is not None:
            evidence = row.rating.self_evidence if self.by_self else row.rating.evidence
        self.fields[f"{key}-rating"] = forms.ChoiceField(
            choices=Rating.choices,
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            initial=rating,
            label=gettext("Rating"),
        )
        self.fields[f"{key}-evidence"] = forms.CharField(
            required=False,
            widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            max_length=20000,
            initial=evidence,
            label=gettext("Evidence"),
        )
        self.fields[f"{key}-kind"] = forms.ChoiceField(
            required=False,
            choices=EvidenceKind.choices,
            widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            label=gettext("Kind"),
        )
        self.fields[f"{key}-title"] = forms.CharField(
            required=False,
            max_length=300,
            widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            label=gettext("Title"),
        )
        self.fields[f"{key}-url"] = forms.URLField(
            required=False,
            max_length=500,
            assume_scheme="https",
            validators=[WEB_URL],
            widget=forms.URLInput(attrs={"class": "form-control form-control-sm"}),
            label=gettext("Link (optional)"),
        )
        own = row.self_items if self.by_self else row.lead_items
        if own:
            self.fields[f"{key}-remove"] = forms.TypedMultipleChoiceField(
                required=False,
                coerce=int,
                choices=[(item.pk, item.title) for item in own],
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                label=gettext("Remove"),
            )

    def _bind(self, row: CriterionRow) -> RatingFields:
        key = row.key
        remove = self[f"{key}-remove"] if f"{key}-remove" in self.fields else None
        return RatingFields(
            row=row,
            rating=self[f"{key}-rating"],
            evidence=self[f"{key}-evidence"],
            kind=self[f"{key}-kind"],
            title=self[f"{key}-title"],
            url=self[f"{key}-url"],
            remove=remove,
            by_self=self.by_self,
        )

    def clean(self):
        data = super().clean()
        for fields in self.rows:
            key = fields.row.key
            title, url = data.get(f"{key}-title", ""), data.get(f"{key}-url", "")
            kind = data.get(f"{key}-kind") or EvidenceKind.LINK
            if url and not title:
                self.add_error(f"{key}-title", gettext("Give the evidence a title."))
            if title and kind == EvidenceKind.LINK and not url and f"{key}-url" not in self.errors:
                self.add_error(
                    f"{key}-url", gettext("A link needs its address (or pick another kind).")
                )
        return data

    def inputs(self) -> dict[str, RatingInput]:
        out = {}
        for fields in self.rows:
            key = fields.row.key
            title = self.cleaned_data.get(f"{key}-title", "").strip()
            add = ()
            if title:
                add = (
                    EvidenceInput(
                        kind=self.cleaned_data.get(f"{key}-kind") or EvidenceKind.LINK,
                        title=title,
                        url=self.cleaned_data.get(f"{key}-url", ""),
                    ),
                )
            out[key] = RatingInput(
                rating=self.cleaned_data[f"{key}-rating"],
                evidence=self.cleaned_data.get(f"{key}-evidence", ""),
                add=add,
                remove=frozenset(self.cleaned_data.get(f"{key}-remove") or ()),
            )
        return out


def status_filter_choices() -> list[tuple[str, str]]:
    return [("", gettext("Every status")), *AssessmentStatus.choices]
