"""People forms: they validate input; the views call the services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model

from ladders.people.services import placement_for
from roles.access import LEADS_GROUP
from roles.models import Framework


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(required=False)
    lead = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)
    login = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Their login",
        help_text="With a login they can read their own assessments.",
    )
    framework = forms.ModelChoiceField(queryset=Framework.objects.all(), empty_label=None)
    role = forms.CharField(help_text="Role key or name, e.g. “design” or “Design”.")
    level = forms.CharField(help_text="Level key or name, e.g. “senior” or “Senior”.")
    sub_role = forms.CharField(required=False, label="Specialism (optional)")
    since = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="In this position since",
        help_text="Today when left empty (only used when the position changes).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["lead"].queryset = users.filter(groups__name=LEADS_GROUP)
        self.fields["login"].queryset = users
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save"))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["placement"] = placement_for(
                framework=data["framework"],
                role=data["role"],
                level=data["level"],
                sub_role=data.get("sub_role", ""),
            )
        except forms.ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label="People CSV",
        help_text="Columns: name, email, lead_email, framework, role, level, sub_role. "
        "People are matched by email: existing ones are updated.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("import", "Import"))
