"""People forms: they validate input; the views call the services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ladders.people.services import placement_for
from roles.access import LEADS_GROUP
from roles.models import Framework


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    email = forms.EmailField(required=False, label=_("Email"))
    lead = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label=_("Lead")
    )
    login = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Their login"),
        help_text=_("With a login they can read their own assessments."),
    )
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.all(), empty_label=None, label=_("Framework")
    )
    role = forms.CharField(
        label=_("Role"), help_text=_("Role key or name, e.g. “design” or “Design”.")
    )
    level = forms.CharField(
        label=_("Level"), help_text=_("Level key or name, e.g. “senior” or “Senior”.")
    )
    sub_role = forms.CharField(required=False, label=_("Specialism (optional)"))
    since = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label=_("In this position since"),
        help_text=_("Today when left empty (only used when the position changes)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["lead"].queryset = users.filter(groups__name=LEADS_GROUP)
        self.fields["login"].queryset = users
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", gettext("Save")))

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
        label=_("People CSV"),
        help_text=_(
            "Columns: name, email, lead_email, framework, role, level, sub_role. "
            "People are matched by email: existing ones are updated."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("import", gettext("Import")))
