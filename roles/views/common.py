"""The plumbing the draft editor's views share (``roles.views``).

The access decorator ``draft_view``, URL and rendering helpers, the edit form with its
optimistic-locking conflict (``Conflict``, what the editor sees when someone else saved
first), the delete confirmation, and the page for an element deleted meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from roles import editing, selectors
from roles.access import is_editor, is_hr
from roles.editing import (
    ConflictError,
    ElementDeletedError,
    display_value,
    element_label,
    element_name,
    fingerprint,
)
from roles.forms import EditorForm
from roles.markdown import render_markdown
from roles.models import Framework, FrameworkVersion
from roles.services import draft_get
from roles.textdiff import word_diff_html

View = Callable[..., HttpResponse]
GET_POST = require_http_methods(["GET", "POST"])


# --- access and plumbing ---------------------------------------------------------------


def draft_view(view: View) -> View:
    """Load the draft of ``slug`` for one of its editors (404 for anyone else, whatever the
    method) and pass it to ``view`` instead of the slug."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        framework = Framework.objects.filter(slug=slug).first()
        if framework is None or not is_editor(request.user, framework):
            raise Http404("No such draft.")
        draft = draft_get(framework=framework)
        draft.framework = framework
        return view(request, draft, **kwargs)

    return wrapper


def draft_io_view(view: View) -> View:
    """Like ``draft_view``, for importing into and exporting the draft: HR may use these too
    (DESIGN.md section 6: HR imports and exports). ``request.draft_editor`` tells the view
    whether the user also edits the framework (and so may see the rest of the editor)."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        framework = Framework.objects.filter(slug=slug).first()
        editor = framework is not None and is_editor(request.user, framework)
        if framework is None or not (editor or is_hr(request.user)):
            raise Http404("No such draft.")
        draft = draft_get(framework=framework)
        draft.framework = framework
        request.draft_editor = editor
        return view(request, draft, **kwargs)

    return wrapper


def draft_url(draft: FrameworkVersion, name: str, **kwargs: str) -> str:
    return reverse(f"roles:{name}", kwargs={"slug": draft.framework.slug, **kwargs})


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go back to: the ``next`` the page sent, if it is on this site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and safe else default


def anchored(url: str, anchor: str) -> str:
    """``url`` pointing at the element just saved (replacing any other fragment)."""
    return f"{url.split('#', 1)[0]}#{anchor}"


def page_context(request: HttpRequest, draft: FrameworkVersion, **extra: Any) -> dict[str, Any]:
    context = {
        "framework": draft.framework,
        "draft": draft,
        "active_tab": "draft",
        "return_to": request.get_full_path(),
        **extra,
    }
    if extra.get("element") is not None:
        context["element_name"] = element_name(extra["element"])
    return context


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def add_errors(form: EditorForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- someone else saved first ---------------------------------------------------------


@dataclass
class ConflictRow:
    label: str
    theirs: str
    yours: str
    diff: str

    @property
    def changed(self) -> bool:
        return self.theirs != self.yours


@dataclass
class Conflict:
    """What the editor sees when someone else saved first: their values against yours."""

    message: str
    rows: list[ConflictRow]


# Field names as the forms call them, for a conflict shown without a form (a delete); the
# other editable fields are labelled like their models' fields (verbose name, capitalised).
FIELD_LABELS = {
    "sub_role": _("Specialism"),
    "forks_from": _("Branches off"),
    "from_position": _("From"),
    "to_position": _("To"),
    "evidence_hint": _("Evidence hint"),
    "kind": _("Kind of move"),
    "name": _("Name"),
    "description": _("Description"),
    "code": _("Code"),
    "track": _("Track"),
    "role": _("Role"),
    "rank": _("Rank"),
    "summary": _("Summary"),
    "title": _("Title"),
    "category": _("Category"),
    "text": _("Text"),
    "required": _("Required"),
    "note": _("Note"),
}


def _conflict(error: ConflictError, form: EditorForm | None = None) -> Conflict:
    element = error.element
    assert element is not None
    rows = []
    for name in editing.EDITABLE_FIELDS[type(element)]:
        if form is not None and name not in form.cleaned_data:
            continue
        theirs = display_value(element, name)
        yours = ""
        if form is not None:
            value = form.cleaned_data[name]
            field = element._meta.get_field(name)
            if field.choices:
                yours = str(dict(field.flatchoices).get(value, value))
            elif isinstance(value, bool):
                yours = gettext("Yes") if value else gettext("No")
            else:
                yours = "" if value is None else str(value)
        diff = word_diff_html(theirs, yours) if form is not None and theirs != yours else ""
        field_name = str(element._meta.get_field(name).verbose_name).capitalize()
        label = str(FIELD_LABELS.get(name, field_name))
        if form is not None and form.fields[name].label:
            label = str(form.fields[name].label)
        rows.append(ConflictRow(label, theirs, yours, diff))
    return Conflict(str(error), rows)


# --- editing and deleting an element --------------------------------------------------


def element_gone(
    request: HttpRequest, draft: FrameworkVersion, model: type[models.Model]
) -> HttpResponse:
    """The element was deleted meanwhile: say so, and show what the editor had typed."""
    if request.method != "POST" and not request.htmx:
        raise Http404(f"No such {element_label(model)} in the draft.")
    context = page_context(
        request,
        draft,
        label=element_label(model),
        yours=request.POST.get("text", ""),
        back=next_url(request, draft_url(draft, "draft-detail")),
    )
    template = "roles/element_gone.html#gone" if request.htmx else "roles/element_gone.html"
    return render_page(request, template, context, status=409)


def edit_element(
    request: HttpRequest,
    draft: FrameworkVersion,
    element: models.Model,
    form_class: type[EditorForm],
    update: Callable[..., Any],
    **ui: Any,
) -> tuple[EditorForm, Conflict | None, Any]:
    """The edit form and, on POST, the update. Returns the form (to show again), the
    conflict if someone else saved first, and the updated element once saved."""
    fields = editing.EDITABLE_FIELDS[type(element)]
    role = ui.pop("role", None)
    ui.setdefault("next_url", next_url(request, draft_url(draft, "draft-detail")))

    def build(fp: str) -> EditorForm:
        posted = request.method == "POST"
        preview = render_markdown(request.POST.get("text", "")) if "preview" in request.POST else ""
        return form_class(
            request.POST if posted else None,
            draft=draft,
            role=role,
            key=element.key,
            action=request.path,
            fingerprint=fp,
            initial={name: getattr(element, name) for name in fields},
            preview_url=draft_url(draft, "markdown-preview"),
            preview_html=preview,
            **ui,
        )

    form = build(request.POST.get("fingerprint", "") or fingerprint(element))
    if request.method != "POST" or "preview" in request.POST or not form.is_valid():
        return form, None, None
    try:
        saved = update(draft=draft, key=element.key, fingerprint=form.fingerprint, **form.values)
    except ElementDeletedError:
        raise
    except ConflictError as error:
        conflict = _conflict(error, form)
        form = build(error.fingerprint)  # a second save replaces theirs, deliberately
        form.is_valid()
        form.submit_label, form.cancel_label = gettext("Save mine instead"), gettext("Keep theirs")
        return form, conflict, None
    except ValidationError as error:
        add_errors(form, error)
        return form, None, None
    return form, None, saved


def confirm_delete(
    request: HttpRequest,
    draft: FrameworkVersion,
    element: models.Model,
    *,
    back: str,
    conflict: ConflictError | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """The confirmation page: what goes with the element, and a stale-delete conflict."""
    context = page_context(
        request, draft, element=element, label=element_label(type(element)), back=back
    )
    context.update(
        fingerprint=conflict.fingerprint if conflict else fingerprint(element),
        conflict=_conflict(conflict) if conflict else None,
        errors=errors or [],
        summary=selectors.deletion_summary(element),
    )
    status = 409 if conflict else 200
    return render_page(request, "roles/element_confirm_delete.html", context, status)
