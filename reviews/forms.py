"""Forms of the review workflow: they validate input; the views call the services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.models import Reviewer, Revision, StakeholderGroup, Verdict


def _user_label(user) -> str:
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _user_label(obj)


class RevisionSaveForm(forms.Form):
    summary = forms.CharField(
        max_length=300,
        label=_("What changed?"),
        help_text=_("One line for the history, e.g. “Clarified senior research expectations”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class RoundOpenForm(forms.Form):
    revision = forms.ModelChoiceField(
        queryset=Revision.objects.none(), empty_label=None, label=_("Revision")
    )
    due_on = forms.DateField(
        label=_("Decisions due by"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    message = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Message to the reviewers"),
        help_text=_("What should they focus on? It goes into the invitation email."),
    )

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].queryset = Revision.objects.filter(framework=framework).defer(
            "document"
        )
        self.fields["revision"].label_from_instance = lambda r: f"{r.label} — {r.summary}"
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(gettext("The due date is in the past."))
        return due_on


class ReviewerSeatForm(forms.Form):
    user = UserChoiceField(
        queryset=get_user_model().objects.none(), required=False, label=_("User")
    )
    group = forms.ModelChoiceField(
        queryset=StakeholderGroup.objects.all(), required=False, label=_("Stakeholder group")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("username")
        )

    def clean(self):
        data = super().clean()
        if data.get("user") and not data.get("group"):
            self.add_error("group", gettext("Pick the group this reviewer speaks for."))
        if data.get("group") and not data.get("user"):
            self.add_error("user", gettext("Pick a reviewer for this group."))
        return data


class BaseSeatFormSet(forms.BaseFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Every row offers the same people and groups: query them once, not once per row.
        if not hasattr(self, "_row_choices"):
            self._row_choices = {
                name: [(getattr(v, "value", v), label) for v, label in form.fields[name].choices]
                for name in ("user", "group")
            }
        for name, choices in self._row_choices.items():
            form.fields[name].choices = choices
        return form

    def clean(self):
        if any(self.errors):
            return
        seats = [f.cleaned_data for f in self.forms if f.cleaned_data.get("user")]
        if not seats:
            raise forms.ValidationError(gettext("Pick at least one reviewer."))
        users = [s["user"].pk for s in seats]
        if len(set(users)) != len(users):
            raise forms.ValidationError(gettext("Each person can hold only one seat in a round."))

    @property
    def seats(self) -> list[tuple]:
        return [
            (f.cleaned_data["user"], f.cleaned_data["group"])
            for f in self.forms
            if f.cleaned_data.get("user")
        ]


SeatFormSet = forms.formset_factory(ReviewerSeatForm, formset=BaseSeatFormSet, extra=6)


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=Verdict.choices, widget=forms.RadioSelect, label=_("Verdict")
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Note"),
        help_text=_("Required when you request changes: say what needs to change."),
    )
    seat = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("verdict") == Verdict.REQUEST_CHANGES and not data.get("note", "").strip():
            self.add_error("note", gettext("Say what needs to change."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("Comment"), max_length=5000
    )
    anchor = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DelegateForm(forms.Form):
    delegate = UserChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Decide for me"),
        empty_label=_("Nobody — I decide myself"),
    )
    seat = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, seat: Reviewer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = get_user_model().objects.filter(is_active=True).order_by("username")
        if seat is not None:
            qs = qs.exclude(pk=seat.user_id)
            self.initial.setdefault("seat", seat.pk)
            self.initial.setdefault("delegate", seat.delegate_id)
        self.fields["delegate"].queryset = qs
        self.helper = FormHelper()
        self.helper.form_tag = False


class PolicyForm(forms.Form):
    """One row per stakeholder group: approvals needed (0 = not asked) and lazy consensus."""

    def __init__(self, *args, groups, rules, **kwargs):
        super().__init__(*args, **kwargs)
        current = {r.group_id: r for r in rules}
        self.groups = list(groups)
        for group in self.groups:
            rule = current.get(group.pk)
            self.fields[f"approvals_{group.pk}"] = forms.IntegerField(
                min_value=0,
                max_value=20,
                initial=rule.approvals if rule else 0,
                label=gettext("%(group)s: approvals needed") % {"group": group.name},
                help_text=gettext("0 = this group is not asked to approve."),
            )
            self.fields[f"lazy_{group.pk}"] = forms.BooleanField(
                required=False,
                initial=rule.lazy_consensus if rule else False,
                label=gettext("Approves unless it objects by the due date (lazy consensus)"),
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", gettext("Save policy")))

    @property
    def rules(self) -> list[tuple[StakeholderGroup, int, bool]]:
        out = []
        for group in self.groups:
            n = self.cleaned_data[f"approvals_{group.pk}"]
            if n:
                out.append((group, n, self.cleaned_data[f"lazy_{group.pk}"]))
        return out
