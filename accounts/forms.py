"""The settings page's form: it validates the choices; the view saves the profile."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile, timezone_choices


class ProfileForm(forms.ModelForm):
    # Language names stay in their own language, so everyone finds theirs.
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_(
            "The language of pages and emails. Framework content stays in the language it "
            "was written in."
        ),
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Dates and times are shown in this time zone."),
    )

    class Meta:
        model = Profile
        fields = ["language", "timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("Same as my browser")),
            *settings.LANGUAGES,
        ]
        self.fields["timezone"].choices = [
            ("", _("The installation's default (%(zone)s)") % {"zone": settings.TIME_ZONE}),
            *timezone_choices(),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's form has its token
