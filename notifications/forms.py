"""The preferences form: one immediate / digest / off choice per event type."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.events import Delivery, event_types


class PreferencesForm(forms.Form):
    """A radio group (a fieldset with the event as its legend) per event type."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for event_type in event_types():
            self.fields[event_type.key] = forms.ChoiceField(
                label=event_type.label,
                help_text=event_type.description,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save preferences")))
