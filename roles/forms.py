"""Forms of the draft editor. They validate input; the services in ``roles.editing`` write.

Every form is laid out by crispy-forms. ``EditorForm`` adds what all of them share: the
fingerprint of the element as the editor saw it (optimistic locking), the page to go back
to, the buttons, and — with ``hx_target`` — htmx attributes, so the same form works inline
and as a plain page.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Hidden, Layout, Submit
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roles.formats.registry import PARSERS, format_from_path
from roles.models import (
    Competency,
    FrameworkVersion,
    Level,
    PathKind,
    Position,
    Role,
    SubRole,
    Track,
)

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, [links](https://example.com), lists.")


class EditorForm(forms.Form):
    """Base of the editor's forms (see the module docstring).

    ``id_prefix`` keeps element ids unique when several forms are open on one page;
    ``markdown_field`` names the field that gets a Preview button.
    """

    markdown_field: str | None = None

    def __init__(
        self,
        data: Any = None,
        *,
        draft: FrameworkVersion,
        action: str,
        role: Role | None = None,
        key: str = "",
        creating: bool = False,
        fingerprint: str = "",
        next_url: str = "",
        cancel_url: str = "",
        cancel_hx_get: str = "",
        hx_target: str = "",
        hx_swap: str = "outerHTML",
        id_prefix: str = "id",
        submit_label: str = _("Save"),
        cancel_label: str = _("Cancel"),
        preview_url: str = "",
        preview_html: str = "",
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial, auto_id=f"{id_prefix}-%s")
        self.draft, self.role, self.key, self.creating = draft, role, key, creating
        self.cancel_label = cancel_label
        self.id_prefix = id_prefix
        self.action = action
        self.cancel_url = cancel_url or next_url
        self.cancel_hx_get = cancel_hx_get
        self.submit_label = submit_label
        self.preview_url = preview_url if self.markdown_field else ""
        self.preview_html = preview_html
        self.preview_id = f"{id_prefix}-preview"
        self.fingerprint = fingerprint
        self.next_url = next_url
        self.hx_attrs = {"hx-post": action, "hx-target": hx_target, "hx-swap": hx_swap}
        if not hx_target:
            self.hx_attrs = {}
        self.setup()

    def setup(self) -> None:
        """Adjust the fields for this draft (choices, widgets); ``self.draft`` is set."""

    @cached_property
    def helper(self) -> FormHelper:
        """Built on first use, after subclasses have adjusted their fields."""
        helper = FormHelper(self)
        helper.form_action = self.action
        helper.form_id = f"{self.id_prefix}-form"
        helper.form_class = "cf-editor-form"
        helper.attrs = self.hx_attrs
        fields: list[Any] = []
        for name in self.fields:
            fields.append(Field(name))
            if name == self.markdown_field:
                fields.append(HTML('{% include "roles/partials/markdown_preview.html" %}'))
        helper.layout = Layout(
            *fields,
            *self.extra_layout(),
            Hidden("fingerprint", self.fingerprint),
            Hidden("next", self.next_url),
            HTML('{% include "roles/partials/form_actions.html" %}'),
        )
        return helper

    def extra_layout(self) -> list[Any]:
        return []

    @property
    def values(self) -> dict[str, Any]:
        """The cleaned values, named like the service's keyword arguments."""
        return dict(self.cleaned_data)


def _text(label: str, *, required: bool = True, max_length: int = 200, **kwargs: Any) -> Any:
    return forms.CharField(label=label, required=required, max_length=max_length, **kwargs)


def _area(label: str, rows: int = 3, *, required: bool = False, **kwargs: Any) -> Any:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class NameChoiceField(forms.ModelChoiceField):
    """Choices labelled by name (a track's ``str`` is its key)."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        code = f" ({obj.level.code})" if obj.level.code else ""
        return f"{obj.role.name} — {obj.title}{code}"


def draft_positions(draft: FrameworkVersion) -> QuerySet[Position]:
    return (
        Position.objects.filter(version=draft)
        .select_related("role", "level")
        .order_by("role__order", "level__rank", "order")
    )


class TrackForm(EditorForm):
    name = _text(_("Name"), help_text=_("E.g. Individual contributor, People manager."))
    forks_from = NameChoiceField(
        queryset=Track.objects.none(),
        required=False,
        label=_("Branches off"),
        empty_label=_("— nothing: a ladder of its own"),
        help_text=_("The track people come from when they start on this one."),
    )

    def setup(self) -> None:
        tracks = Track.objects.filter(version=self.draft).exclude(key=self.key)
        self.fields["forks_from"].queryset = tracks


class RoleForm(EditorForm):
    name = _text(_("Name"), help_text=_("The discipline, e.g. Product Design."))
    description = _area(_("Description"))


class SubRoleForm(EditorForm):
    name = _text(_("Name"), help_text=_("A specialism within the role, e.g. UX research."))
    description = _area(_("Description"))


class LevelForm(EditorForm):
    name = _text(_("Name"), help_text=_("E.g. Senior."))
    code = _text(_("Code"), required=False, max_length=20, help_text=_("Optional, e.g. D3 or IC4."))
    rank = forms.IntegerField(
        label=_("Rank"),
        min_value=1,
        help_text=_("Seniority within the track: 1 is the most junior."),
    )
    track = NameChoiceField(
        queryset=Track.objects.none(),
        required=False,
        label=_("Track"),
        empty_label=_("— no track"),
    )
    role = forms.ModelChoiceField(
        queryset=Role.objects.none(),
        required=False,
        label=_("Used by"),
        empty_label=_("Every role (a shared level)"),
    )
    summary = _area(_("Summary"))
    position_roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.none(),
        required=False,
        label=_("Create positions for"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A position is a role at this level; its title starts as the level's name."),
    )

    def setup(self) -> None:
        self.fields["track"].queryset = Track.objects.filter(version=self.draft)
        self.fields["role"].queryset = Role.objects.filter(version=self.draft)
        if self.creating:
            self.fields["position_roles"].queryset = Role.objects.filter(version=self.draft)
        else:
            del self.fields["position_roles"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role, roles = data.get("role"), data.get("position_roles") or []
        if role is not None and any(r != role for r in roles):
            self.add_error(
                "position_roles",
                gettext("This level is used by %(role)s only.") % {"role": role.name},
            )
        return data


class PositionCreateForm(EditorForm):
    level = forms.ModelChoiceField(queryset=Level.objects.none(), label=_("Level"))
    title = _text(
        _("Title"), help_text=_("The job title at this level, e.g. Senior Product Designer.")
    )
    summary = _area(_("Summary"))

    def setup(self) -> None:
        self.fields["level"].queryset = (
            Level.objects.filter(version=self.draft)
            .filter(Q(role=None) | Q(role=self.role))
            .exclude(positions__role=self.role)
            .select_related("track")
            .order_by("track__order", "rank")
        )
        self.fields["level"].label_from_instance = lambda lv: (
            f"{lv.name}{f' ({lv.code})' if lv.code else ''}"
            f"{f' · {lv.track.name}' if lv.track else ''}"
        )


class PositionForm(EditorForm):
    title = _text(_("Title"))
    summary = _area(_("Summary"), rows=4, help_text=_("One or two sentences about the job."))


class CompetencyForm(EditorForm):
    name = _text(_("Name"), help_text=_("E.g. Problem framing."))
    category = _text(
        _("Category"),
        required=False,
        help_text=_("Competencies are grouped by category. Pick one or type a new one."),
    )
    role = forms.ModelChoiceField(
        queryset=Role.objects.none(),
        required=False,
        label=_("Applies to"),
        empty_label=_("Every role"),
    )
    description = _area(_("Description"))

    def setup(self) -> None:
        self.fields["role"].queryset = Role.objects.filter(version=self.draft)
        self.categories = sorted(
            set(
                Competency.objects.filter(version=self.draft)
                .exclude(category="")
                .values_list("category", flat=True)
            )
        )
        self.fields["category"].widget.attrs["list"] = f"{self.id_prefix}-categories"

    def extra_layout(self) -> list[Any]:
        return [
            HTML(
                '<datalist id="{{ form.id_prefix }}-categories">{% for c in form.categories %}'
                '<option value="{{ c }}">{% endfor %}</datalist>'
            )
        ]


class CategoryForm(EditorForm):
    new_name = _text(
        _("New name"),
        required=False,
        help_text=_("Give an existing category's name to merge the two; leave empty to ungroup."),
    )


class ExpectationForm(EditorForm):
    markdown_field = "text"

    text = _area(_("Statement"), rows=3, required=True, help_text=MARKDOWN_HELP)
    sub_role = forms.ModelChoiceField(
        queryset=SubRole.objects.none(),
        required=False,
        label=_("Specialism"),
        empty_label=_("Every specialism"),
    )

    def setup(self) -> None:
        self.fields["text"].widget.attrs.update(autofocus=True)
        sub_roles = SubRole.objects.filter(role=self.role)
        self.fields["sub_role"].queryset = sub_roles
        if not sub_roles.exists():
            self.fields["sub_role"].widget = forms.HiddenInput()


class CriterionForm(EditorForm):
    markdown_field = "text"

    text = _area(_("Criterion"), rows=3, required=True, help_text=MARKDOWN_HELP)
    required = forms.BooleanField(
        label=_("Required for promotion"),
        required=False,
        help_text=_("Untick for a nice-to-have."),
    )
    evidence_hint = _area(
        _("Evidence hint"), rows=2, help_text=_("What would show it, e.g. two projects.")
    )

    def setup(self) -> None:
        self.fields["text"].widget.attrs.update(autofocus=True)


class PathStepForm(EditorForm):
    from_position = PositionChoiceField(queryset=Position.objects.none(), label=_("From"))
    to_position = PositionChoiceField(queryset=Position.objects.none(), label=_("To"))
    kind = forms.ChoiceField(label=_("Kind of move"), choices=PathKind.choices)
    note = _area(_("Note"), rows=2, help_text=_("When or how people usually make this move."))

    def setup(self) -> None:
        positions = draft_positions(self.draft)
        self.fields["from_position"].queryset = positions
        self.fields["to_position"].queryset = positions

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("from_position") and data.get("from_position") == data.get("to_position"):
            self.add_error("to_position", gettext("A step must lead to another position."))
        return data


# --- importing a file into the draft (roles.io) ----------------------------------------


class FrameworkImportForm(forms.Form):
    """The upload: a file the registry can parse, no larger than the import limit.

    With htmx the form posts in the background (multipart), so the page can show the
    upload's progress; without JavaScript it is a plain form.
    """

    file = forms.FileField(
        label=_("Framework file"),
        help_text=_(
            "A long CSV, an Excel workbook (.xlsx) or a JSON framework document, "
            "for example one exported from this or another careerframe."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.json"}),
    )

    def __init__(self, *args: Any, action: str, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.fields["file"].widget.attrs["data-max-bytes"] = str(max_bytes)
        self.helper = FormHelper(self)
        self.helper.form_action = action
        self.helper.form_id = "import-form"
        self.helper.attrs = {
            "hx-post": action,
            "hx-encoding": "multipart/form-data",
            "hx-target": "#upload",
            "hx-swap": "outerHTML",
            "hx-indicator": "#import-busy",
            "hx-disabled-elt": "find [type=submit]",
        }
        self.helper.layout = Layout(
            Field("file"),
            HTML('{% include "roles/partials/import_progress.html" %}'),
            Submit("preview", gettext("Upload and preview")),
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                gettext(
                    "The file is %(size)s bytes; files up to %(limit)s bytes can be imported "
                    "(CAREERFRAME_MAX_IMPORT_BYTES). Nothing was imported."
                )
                % {"size": f"{upload.size:,}", "limit": f"{self.max_bytes:,}"}
            )
        fmt = format_from_path(upload.name)
        if fmt not in PARSERS:
            if fmt:
                why = gettext("%(format)s is export only") % {"format": fmt.upper()}
            else:
                why = gettext("not a .csv, .xlsx or .json file")
            raise forms.ValidationError(
                gettext(
                    "Cannot import %(filename)s: %(reason)s. Upload a long CSV, an Excel "
                    "workbook (.xlsx) or a JSON framework document."
                )
                % {"filename": upload.name, "reason": why}
            )
        return upload


class ImportConfirmForm(forms.Form):
    """Confirm a previewed import. ``lock_version`` is the draft's when the preview was
    drawn: the import is refused if the draft has changed since."""

    lock_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_action = action
        self.helper.form_id = "confirm-form"
        self.helper.form_class = "d-grid"
        confirm = Submit("confirm", gettext("Replace the draft with this file"))
        confirm.field_classes = "btn btn-danger"  # not the default btn-primary
        self.helper.layout = Layout(Field("lock_version"), confirm)
