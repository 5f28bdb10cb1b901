"""The draft editor: a framework's editors change its draft (DESIGN.md sections 1 and 3).

Only the framework's editors and superusers see these pages; for everyone else every URL
is 404, whatever the method. Every page works without JavaScript (forms post, then
redirect back to ``next``). With htmx, statements, criteria and a position's title are
edited in place: the view renders only the fragment, and answers 409 with the form and
the other person's change when the element changed meanwhile (``roles.editing``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from roles import editing, quality, selectors
from roles.access import is_editor
from roles.editing import (
    ConflictError,
    ElementDeletedError,
    display_value,
    element_label,
    element_name,
    fingerprint,
)
from roles.forms import (
    CategoryForm,
    CompetencyForm,
    CriterionForm,
    EditorForm,
    ExpectationForm,
    LevelForm,
    PathStepForm,
    PositionCreateForm,
    PositionForm,
    RoleForm,
    SubRoleForm,
    TrackForm,
)
from roles.markdown import render_markdown
from roles.models import (
    Competency,
    Expectation,
    Framework,
    FrameworkVersion,
    Level,
    PathStep,
    Position,
    PromotionCriterion,
    Role,
    SubRole,
    Track,
)
from roles.serialization import document_from_version
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


def _url(draft: FrameworkVersion, name: str, **kwargs: str) -> str:
    return reverse(f"roles:{name}", kwargs={"slug": draft.framework.slug, **kwargs})


def _next_url(request: HttpRequest, default: str) -> str:
    """Where to go back to: the ``next`` the page sent, if it is on this site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and safe else default


def _anchored(url: str, anchor: str) -> str:
    """``url`` pointing at the element just saved (replacing any other fragment)."""
    return f"{url.split('#', 1)[0]}#{anchor}"


def _context(request: HttpRequest, draft: FrameworkVersion, **extra: Any) -> dict[str, Any]:
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


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _quality_options() -> dict[str, Any]:
    return {
        "vague_words": settings.CAREERFRAME_VAGUE_WORDS,
        "max_length": settings.CAREERFRAME_MAX_STATEMENT_LENGTH,
    }


def _add_errors(form: EditorForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


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


# Field names as the forms call them, for a conflict shown without a form (a delete).
FIELD_LABELS = {
    "sub_role": "Specialism",
    "forks_from": "Branches off",
    "from_position": "From",
    "to_position": "To",
    "evidence_hint": "Evidence hint",
    "kind": "Kind of move",
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
                yours = "Yes" if value else "No"
            else:
                yours = "" if value is None else str(value)
        diff = word_diff_html(theirs, yours) if form is not None and theirs != yours else ""
        field_name = str(element._meta.get_field(name).verbose_name).capitalize()
        label = FIELD_LABELS.get(name, field_name)
        if form is not None and form.fields[name].label:
            label = str(form.fields[name].label)
        rows.append(ConflictRow(label, theirs, yours, diff))
    return Conflict(str(error), rows)


def _gone(request: HttpRequest, draft: FrameworkVersion, model: type[models.Model]) -> HttpResponse:
    """The element was deleted meanwhile: say so, and show what the editor had typed."""
    if request.method != "POST" and not request.htmx:
        raise Http404(f"No such {element_label(model)} in the draft.")
    context = _context(
        request,
        draft,
        label=element_label(model),
        yours=request.POST.get("text", ""),
        back=_next_url(request, _url(draft, "draft-detail")),
    )
    template = "roles/element_gone.html#gone" if request.htmx else "roles/element_gone.html"
    return _render(request, template, context, status=409)


# --- pages -----------------------------------------------------------------------------


@draft_view
@require_safe
def draft_detail(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    overview = selectors.draft_overview(draft)
    issues = quality.check_document(overview.document, **_quality_options())
    context = _context(
        request, draft, overview=overview, quality_groups=quality.group_issues(issues)
    )
    return _render(request, "roles/draft_detail.html", context)


@draft_view
@require_safe
def role_matrix(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    show_all = request.GET.get("competencies") == "all"
    matrix = selectors.role_matrix(draft, key, show_all=show_all)
    positions = {p.key for p in matrix.positions}
    issues = [
        issue
        for issue in quality.check_document(document_from_version(draft), **_quality_options())
        if issue.target.key == key or issue.target.key in positions
    ]
    context = _context(
        request,
        draft,
        matrix=matrix,
        show_all=show_all,
        quality_groups=quality.group_issues(issues),
    )
    return _render(request, "roles/role_matrix.html", context)


@draft_view
@require_safe
def position_detail(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    if request.htmx:  # "Cancel" on the inline title form: the title block again
        position = selectors.position_for_editing(draft, key)
        context = _context(request, draft, position=position, focus="edit")
        return _render(request, "roles/position_detail.html#summary", context)
    editor = selectors.position_editor(draft, key)
    issues = [
        issue
        for issue in quality.check_document(document_from_version(draft), **_quality_options())
        if issue.target.key == key
        or issue.anchor.startswith(f"positions:{key}/")
        or any(issue.anchor == f"expectations:{s.key}" for s in _statements(editor))
    ]
    context = _context(
        request,
        draft,
        editor=editor,
        position=editor.position,
        criteria=editor.criteria,
        issues=issues,
    )
    return _render(request, "roles/position_detail.html", context)


def _statements(editor: selectors.PositionEditor) -> list[Expectation]:
    return [s for cat in editor.categories for row in cat.rows for s in row.cells[0].statements]


@draft_view
@require_safe
def path_step_list(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    steps = selectors.path_steps_for_editing(draft)
    return _render(request, "roles/path_step_list.html", _context(request, draft, steps=steps))


@draft_view
@require_POST
def markdown_preview(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    """The sanitised HTML of the posted ``text``, for a statement form's Preview button."""
    preview = render_markdown(request.POST.get("text", "")[:20000])
    return _render(request, "roles/partials/markdown_preview.html", {"preview_html": preview})


# --- simple elements: full-page forms --------------------------------------------------


@dataclass(frozen=True)
class ElementKind:
    model: type[models.Model]
    form: type[EditorForm]
    create: Callable[..., Any] | None
    update: Callable[..., Any] | None
    delete: Callable[..., None]
    move: Callable[..., Any] | None
    section: str  # the draft overview's section to go back to


ELEMENT_KINDS: dict[str, ElementKind] = {
    "track": ElementKind(
        Track,
        TrackForm,
        editing.track_create,
        editing.track_update,
        editing.track_delete,
        editing.track_move,
        "levels",
    ),
    "role": ElementKind(
        Role,
        RoleForm,
        editing.role_create,
        editing.role_update,
        editing.role_delete,
        editing.role_move,
        "roles",
    ),
    "sub_role": ElementKind(
        SubRole,
        SubRoleForm,
        editing.sub_role_create,
        editing.sub_role_update,
        editing.sub_role_delete,
        editing.sub_role_move,
        "roles",
    ),
    "level": ElementKind(
        Level,
        LevelForm,
        editing.level_create,
        editing.level_update,
        editing.level_delete,
        None,
        "levels",
    ),
    "position": ElementKind(
        Position,
        PositionCreateForm,
        editing.position_create,
        None,
        editing.position_delete,
        None,
        "roles",
    ),
    "competency": ElementKind(
        Competency,
        CompetencyForm,
        editing.competency_create,
        editing.competency_update,
        editing.competency_delete,
        editing.competency_move,
        "competencies",
    ),
    "path_step": ElementKind(
        PathStep,
        PathStepForm,
        editing.path_step_create,
        editing.path_step_update,
        editing.path_step_delete,
        None,
        "paths",
    ),
}

# Query parameters that preset a new element's fields (e.g. "Add path step from here").
PRESETS = {"track": Track, "forks_from": Track, "category": None, "from_position": Position}


def _presets(request: HttpRequest, draft: FrameworkVersion) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for name, model in PRESETS.items():
        value = request.GET.get(name)
        if value and model is None:
            initial[name] = value
        elif value:
            initial[name] = model.objects.filter(version=draft, key=value).first()
    return initial


def _label(model: type[models.Model]) -> str:
    return element_label(model)


@draft_view
@GET_POST
def element_create(
    request: HttpRequest, draft: FrameworkVersion, kind: str, role: str | None = None
) -> HttpResponse:
    spec = ELEMENT_KINDS[kind]
    parent = selectors.role_for_editing(draft, role) if role else None
    back = _next_url(request, _url(draft, "draft-detail") + f"#{spec.section}")
    form = spec.form(
        request.POST if request.method == "POST" else None,
        draft=draft,
        role=parent,
        creating=True,
        action=request.get_full_path(),
        next_url=back,
        submit_label=f"Add {_label(spec.model)}",
        initial=_presets(request, draft),
    )
    if request.method == "POST" and form.is_valid():
        extra = {"role": parent} if parent is not None else {}
        try:
            element = spec.create(draft=draft, **extra, **form.values)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Added {_label(spec.model)} “{element_name(element)}”.")
            if kind == "position":
                return redirect(_url(draft, "position-detail", key=element.key))
            return redirect(back)
    context = _context(
        request, draft, form=form, spec=spec, label=_label(spec.model), parent=parent
    )
    return _render(request, "roles/element_form.html", context)


@draft_view
@GET_POST
def element_edit(
    request: HttpRequest, draft: FrameworkVersion, kind: str, key: str
) -> HttpResponse:
    spec = ELEMENT_KINDS[kind]
    element = spec.model.objects.filter(version=draft, key=key).first()
    if element is None:
        return _gone(request, draft, spec.model)
    form, conflict, saved = _edit(request, draft, element, spec.form, spec.update)
    if saved is not None:
        messages.success(request, f"Saved {_label(spec.model)} “{element_name(saved)}”.")
        return redirect(_next_url(request, _url(draft, "draft-detail") + f"#{spec.section}"))
    context = _context(
        request, draft, form=form, spec=spec, label=_label(spec.model), element=element
    )
    context["conflict"] = conflict
    context["delete_url"] = _url(draft, f"{kind.replace('_', '-')}-delete", key=key)
    return _render(request, "roles/element_form.html", context, status=409 if conflict else 200)


def _edit(
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
    ui.setdefault("next_url", _next_url(request, _url(draft, "draft-detail")))

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
            preview_url=_url(draft, "markdown-preview"),
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
        form.submit_label, form.cancel_label = "Save mine instead", "Keep theirs"
        return form, conflict, None
    except ValidationError as error:
        _add_errors(form, error)
        return form, None, None
    return form, None, saved


@draft_view
@GET_POST
def element_delete(
    request: HttpRequest, draft: FrameworkVersion, kind: str, key: str
) -> HttpResponse:
    spec = ELEMENT_KINDS[kind]
    back = _next_url(request, _url(draft, "draft-detail") + f"#{spec.section}")
    element = spec.model.objects.filter(version=draft, key=key).first()
    gone = f"This {_label(spec.model)} had already been deleted."
    if element is None and request.method == "POST":
        messages.info(request, gone)
        return redirect(back)
    if element is None:
        raise Http404(f"No such {_label(spec.model)} in the draft.")
    if request.method == "GET":
        return _confirm_delete(request, draft, element, back=back)
    name = element_name(element)
    try:
        spec.delete(draft=draft, key=key, fingerprint=request.POST.get("fingerprint", ""))
    except ElementDeletedError:
        messages.info(request, gone)
    except ConflictError as error:
        return _confirm_delete(request, draft, error.element, back=back, conflict=error)
    except ValidationError as error:
        return _confirm_delete(request, draft, element, back=back, errors=error.messages)
    else:
        messages.success(request, f"Deleted {_label(spec.model)} “{name}”.")
    return redirect(back)


@draft_view
@require_POST
def element_move(
    request: HttpRequest, draft: FrameworkVersion, kind: str, key: str
) -> HttpResponse:
    spec = ELEMENT_KINDS[kind]
    back = _next_url(request, _url(draft, "draft-detail") + f"#{spec.section}")
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down") or spec.move is None:
        return HttpResponseBadRequest("Move up or down.")
    try:
        spec.move(draft=draft, key=key, direction=direction)
    except ElementDeletedError:
        messages.info(request, f"This {_label(spec.model)} had been deleted.")
    return redirect(back)


@draft_view
@GET_POST
def category_edit(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    name = request.GET.get("name", "")
    if not Competency.objects.filter(version=draft, category=name).exists():
        raise Http404("No such category in the draft.")
    back = _next_url(request, _url(draft, "draft-detail") + "#competencies")
    form = CategoryForm(
        request.POST if request.method == "POST" else None,
        draft=draft,
        action=request.get_full_path(),
        next_url=back,
        submit_label="Rename",
        initial={"new_name": name},
    )
    if request.method == "POST" and form.is_valid():
        new_name = form.cleaned_data["new_name"]
        try:
            count = editing.category_rename(draft=draft, name=name, new_name=new_name)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Renamed the category of {count} competencies.")
            return redirect(back)
    context = _context(request, draft, form=form, category=name)
    return _render(request, "roles/category_form.html", context)


# --- statements: inline in a cell of the matrix or the position editor ----------------


def _cell_response(
    request: HttpRequest, draft: FrameworkVersion, cell: selectors.Cell, status: int = 200, **extra
) -> HttpResponse:
    default = _url(draft, "role-matrix", key=cell.position.role.key)
    context = _context(request, draft, cell=cell, **extra)
    context["return_to"] = _next_url(request, default)
    return _render(request, "roles/partials/expectation_cell.html", context, status=status)


def _item_response(
    request: HttpRequest,
    draft: FrameworkVersion,
    statement: Expectation,
    *,
    back: str,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """One statement's fragment (a list item): shown, or with ``form`` its edit form."""
    context = _context(request, draft, statement=statement, **extra)
    context.update(
        return_to=back,
        position_key=statement.position.key,
        competency_key=statement.competency.key,
    )
    return _render(request, "roles/partials/expectation_item.html", context, status)


def _matrix_url(draft: FrameworkVersion, expectation: Expectation) -> str:
    url = _url(draft, "role-matrix", key=expectation.position.role.key)
    return f"{url}#exp-{expectation.key}"


def _expectation(draft: FrameworkVersion, key: str) -> Expectation | None:
    return (
        Expectation.objects.filter(version=draft, key=key)
        .select_related("position__role", "competency", "sub_role")
        .first()
    )


def _posted_cell(request: HttpRequest, draft: FrameworkVersion) -> selectors.Cell:
    """The cell a request is about: its position and competency keys come with the request
    (hx-vals of the cell, or the query string of the plain form's action)."""

    def value(name: str) -> str:
        return request.POST.get(name) or request.GET.get(name, "")

    return selectors.cell_for_editing(draft, value("position"), value("competency"))


@draft_view
@require_safe
def cell_detail(
    request: HttpRequest, draft: FrameworkVersion, position: str, competency: str
) -> HttpResponse:
    cell = selectors.cell_for_editing(draft, position, competency)
    if not request.htmx:
        url = _url(draft, "role-matrix", key=cell.position.role.key)
        return redirect(f"{url}#{cell.anchor}")
    return _cell_response(request, draft, cell, focus="add")


@draft_view
@GET_POST
def expectation_create(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    cell = _posted_cell(request, draft)
    cell_keys = {"position": cell.position.key, "competency": cell.competency.key}
    default = _url(draft, "role-matrix", key=cell.position.role.key) + f"#{cell.anchor}"
    back = _next_url(request, default)
    posted = request.method == "POST"
    form = ExpectationForm(
        request.POST if posted else None,
        draft=draft,
        role=cell.position.role,
        action=f"{_url(draft, 'expectation-create')}?{urlencode(cell_keys)}",
        next_url=back,
        hx_target="closest .cf-cell",
        cancel_hx_get=_url(
            draft, "cell-detail", position=cell.position.key, competency=cell.competency.key
        ),
        id_prefix=f"new-{cell.position.pk}-{cell.competency.pk}",
        submit_label="Add statement",
        preview_url=_url(draft, "markdown-preview"),
        preview_html=render_markdown(request.POST.get("text", ""))
        if "preview" in request.POST
        else "",
    )
    if posted and "preview" not in request.POST and form.is_valid():
        try:
            expectation = editing.expectation_create(
                draft=draft, position=cell.position, competency=cell.competency, **form.values
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if request.htmx:
                cell = selectors.cell_for_editing(draft, cell.position.key, cell.competency.key)
                return _cell_response(request, draft, cell, focus="add")
            messages.success(request, "Statement added.")
            return redirect(_anchored(back, f"exp-{expectation.key}"))
    if request.htmx:
        return _cell_response(request, draft, cell, add_form=form)
    context = _context(request, draft, form=form, cell=cell, position=cell.position)
    return _render(request, "roles/expectation_form.html", context)


@draft_view
@require_safe
def expectation_detail(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    expectation = _expectation(draft, key)
    if expectation is None:
        return _gone(request, draft, Expectation)
    if not request.htmx:
        return redirect(_matrix_url(draft, expectation))
    back = _next_url(request, _matrix_url(draft, expectation))
    return _item_response(request, draft, expectation, back=back, focus="edit")


@draft_view
@GET_POST
def expectation_edit(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    expectation = _expectation(draft, key)
    if expectation is None:
        return _gone(request, draft, Expectation)
    back = _next_url(request, _matrix_url(draft, expectation))
    try:
        form, conflict, saved = _edit(
            request,
            draft,
            expectation,
            ExpectationForm,
            editing.expectation_update,
            role=expectation.position.role,
            next_url=back,
            hx_target="closest li",
            cancel_hx_get=_url(draft, "expectation-detail", key=key),
            id_prefix=f"exp-{expectation.pk}",
        )
    except ElementDeletedError:
        return _gone(request, draft, Expectation)
    if saved is not None:
        if request.htmx:
            expectation = _expectation(draft, key)
            return _item_response(request, draft, expectation, back=back, focus="edit")
        messages.success(request, "Statement saved.")
        return redirect(_anchored(back, f"exp-{key}"))
    status = 409 if conflict else 200
    if request.htmx:
        return _item_response(
            request, draft, expectation, back=back, status=status, form=form, conflict=conflict
        )
    context = _context(request, draft, statement=expectation, form=form, conflict=conflict)
    context.update(cell=None, position=expectation.position)
    return _render(request, "roles/expectation_form.html", context, status)


@draft_view
@GET_POST
def expectation_delete(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    expectation = _expectation(draft, key)
    default = _matrix_url(draft, expectation) if expectation else _url(draft, "draft-detail")
    back = _next_url(request, default)
    if request.method == "GET":
        if expectation is None:
            raise Http404("No such statement in the draft.")
        return _confirm_delete(request, draft, expectation, back=back)
    fp = request.POST.get("fingerprint", "")
    try:
        editing.expectation_delete(draft=draft, key=key, fingerprint=fp)
    except ElementDeletedError:
        notice = "This statement had already been deleted."
    except ConflictError as error:
        if not request.htmx:
            return _confirm_delete(request, draft, error.element, back=back, conflict=error)
        conflict = {"key": key, "fingerprint": error.fingerprint}
        cell = _posted_cell(request, draft)
        return _cell_response(request, draft, cell, 409, delete_conflict=conflict)
    else:
        notice = "Statement deleted."
    if request.htmx:
        cell = _posted_cell(request, draft)
        return _cell_response(request, draft, cell, notice=notice, focus="add")
    messages.success(request, notice)
    return redirect(back)


def _confirm_delete(
    request: HttpRequest,
    draft: FrameworkVersion,
    element: models.Model,
    *,
    back: str,
    conflict: ConflictError | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """The confirmation page: what goes with the element, and a stale-delete conflict."""
    context = _context(request, draft, element=element, label=_label(type(element)), back=back)
    context.update(
        fingerprint=conflict.fingerprint if conflict else fingerprint(element),
        conflict=_conflict(conflict) if conflict else None,
        errors=errors or [],
        summary=selectors.deletion_summary(element),
    )
    status = 409 if conflict else 200
    return _render(request, "roles/element_confirm_delete.html", context, status)


@draft_view
@require_POST
def expectation_move(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest("Move up or down.")
    try:
        expectation = editing.expectation_move(draft=draft, key=key, direction=direction)
    except ElementDeletedError:
        notice = "This statement had been deleted."
        if request.htmx:
            return _cell_response(request, draft, _posted_cell(request, draft), notice=notice)
        messages.info(request, notice)
        return redirect(_next_url(request, _url(draft, "draft-detail")))
    if request.htmx:
        cell = selectors.cell_for_editing(
            draft, expectation.position.key, expectation.competency.key
        )
        return _cell_response(request, draft, cell, focus=f"{direction}:{key}")
    return redirect(_anchored(_next_url(request, _matrix_url(draft, expectation)), f"exp-{key}"))


# --- a position's title and summary, and its promotion criteria ------------------------


@draft_view
@GET_POST
def position_edit(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    position = (
        Position.objects.filter(version=draft, key=key)
        .select_related("role", "level", "level__track")
        .first()
    )
    if position is None:
        return _gone(request, draft, Position)
    detail = _url(draft, "position-detail", key=key)
    try:
        form, conflict, saved = _edit(
            request,
            draft,
            position,
            PositionForm,
            editing.position_update,
            next_url=_next_url(request, detail),
            hx_target="#position-summary",
            cancel_hx_get=detail,
            id_prefix="position",
        )
    except ElementDeletedError:
        return _gone(request, draft, Position)
    if saved is not None:
        if request.htmx:
            position = selectors.position_for_editing(draft, key)
            context = _context(request, draft, position=position, focus="edit")
            return _render(request, "roles/position_detail.html#summary", context)
        messages.success(request, "Position saved.")
        return redirect(_next_url(request, detail))
    status = 409 if conflict else 200
    context = _context(
        request, draft, position=position, summary_form=form, form=form, conflict=conflict
    )
    if request.htmx:
        return _render(request, "roles/position_detail.html#summary", context, status)
    context.update(label="position", element=position)
    context["delete_url"] = _url(draft, "position-delete", key=key)
    return _render(request, "roles/element_form.html", context, status)


def _criteria_response(
    request: HttpRequest, draft: FrameworkVersion, position: Position, status: int = 200, **extra
) -> HttpResponse:
    criteria = list(PromotionCriterion.objects.filter(position=position).order_by("order", "pk"))
    context = _context(request, draft, position=position, criteria=criteria, **extra)
    context["return_to"] = _next_url(request, _url(draft, "position-detail", key=position.key))
    return _render(request, "roles/position_detail.html#criteria", context, status)


def _criterion(draft: FrameworkVersion, key: str) -> PromotionCriterion | None:
    return (
        PromotionCriterion.objects.filter(version=draft, key=key)
        .select_related("position__role", "position__level")
        .first()
    )


def _criterion_response(
    request: HttpRequest,
    draft: FrameworkVersion,
    criterion: PromotionCriterion,
    *,
    back: str,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """One criterion's fragment (a list item): shown, or with ``form`` its edit form."""
    context = _context(request, draft, criterion=criterion, position=criterion.position, **extra)
    context["return_to"] = back
    return _render(request, "roles/position_detail.html#criterion", context, status)


def _criteria_url(draft: FrameworkVersion, criterion: PromotionCriterion) -> str:
    return _url(draft, "position-detail", key=criterion.position.key) + f"#crit-{criterion.key}"


@draft_view
@GET_POST
def criterion_create(request: HttpRequest, draft: FrameworkVersion, position: str) -> HttpResponse:
    target = selectors.position_for_editing(draft, position)
    detail = _url(draft, "position-detail", key=position)
    back = _next_url(request, detail + "#criteria")
    posted = request.method == "POST"
    form = CriterionForm(
        request.POST if posted else None,
        draft=draft,
        action=request.path,
        next_url=back,
        hx_target="#criteria",
        cancel_hx_get=_url(draft, "criterion-list", position=position),
        id_prefix="new-criterion",
        submit_label="Add criterion",
        preview_url=_url(draft, "markdown-preview"),
        preview_html=render_markdown(request.POST.get("text", ""))
        if "preview" in request.POST
        else "",
        initial={"required": True},
    )
    if posted and "preview" not in request.POST and form.is_valid():
        try:
            criterion = editing.criterion_create(draft=draft, position=target, **form.values)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if request.htmx:
                return _criteria_response(request, draft, target, focus="add")
            messages.success(request, "Criterion added.")
            return redirect(_anchored(back, f"crit-{criterion.key}"))
    if request.htmx:
        return _criteria_response(request, draft, target, add_form=form)
    context = _context(request, draft, form=form, position=target, label="promotion criterion")
    return _render(request, "roles/criterion_form.html", context)


@draft_view
@require_safe
def criterion_list(request: HttpRequest, draft: FrameworkVersion, position: str) -> HttpResponse:
    target = selectors.position_for_editing(draft, position)
    if not request.htmx:
        return redirect(_url(draft, "position-detail", key=position) + "#criteria")
    return _criteria_response(request, draft, target, focus="add")


@draft_view
@require_safe
def criterion_detail(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    criterion = _criterion(draft, key)
    if criterion is None:
        return _gone(request, draft, PromotionCriterion)
    if not request.htmx:
        return redirect(_criteria_url(draft, criterion))
    back = _next_url(request, _criteria_url(draft, criterion))
    return _criterion_response(request, draft, criterion, back=back, focus="edit")


@draft_view
@GET_POST
def criterion_edit(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    criterion = _criterion(draft, key)
    if criterion is None:
        return _gone(request, draft, PromotionCriterion)
    back = _next_url(request, _criteria_url(draft, criterion))
    try:
        form, conflict, saved = _edit(
            request,
            draft,
            criterion,
            CriterionForm,
            editing.criterion_update,
            next_url=back,
            hx_target="closest li",
            cancel_hx_get=_url(draft, "criterion-detail", key=key),
            id_prefix=f"crit-{criterion.pk}",
        )
    except ElementDeletedError:
        return _gone(request, draft, PromotionCriterion)
    if saved is not None:
        if request.htmx:
            criterion = _criterion(draft, key)
            return _criterion_response(request, draft, criterion, back=back, focus="edit")
        messages.success(request, "Criterion saved.")
        return redirect(_anchored(back, f"crit-{key}"))
    status = 409 if conflict else 200
    if request.htmx:
        return _criterion_response(
            request, draft, criterion, back=back, status=status, form=form, conflict=conflict
        )
    context = _context(request, draft, criterion=criterion, form=form, conflict=conflict)
    context.update(position=criterion.position, label="promotion criterion")
    return _render(request, "roles/criterion_form.html", context, status)


@draft_view
@GET_POST
def criterion_delete(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    criterion = _criterion(draft, key)
    position_key = criterion.position.key if criterion else request.POST.get("position", "")
    back = _next_url(request, _url(draft, "position-detail", key=position_key) + "#criteria")
    if request.method == "GET":
        if criterion is None:
            raise Http404("No such criterion in the draft.")
        return _confirm_delete(request, draft, criterion, back=back)
    fp = request.POST.get("fingerprint", "")
    try:
        editing.criterion_delete(draft=draft, key=key, fingerprint=fp)
    except ElementDeletedError:
        notice = "This criterion had already been deleted."
    except ConflictError as error:
        if not request.htmx:
            return _confirm_delete(request, draft, error.element, back=back, conflict=error)
        conflict = {"key": key, "fingerprint": error.fingerprint}
        target = selectors.position_for_editing(draft, position_key)
        return _criteria_response(request, draft, target, 409, delete_conflict=conflict)
    else:
        notice = "Criterion deleted."
    if request.htmx:
        target = selectors.position_for_editing(draft, position_key)
        return _criteria_response(request, draft, target, notice=notice, focus="add")
    messages.success(request, notice)
    return redirect(back)


@draft_view
@require_POST
def criterion_move(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest("Move up or down.")
    try:
        criterion = editing.criterion_move(draft=draft, key=key, direction=direction)
    except ElementDeletedError:
        messages.info(request, "This criterion had been deleted.")
        return redirect(_next_url(request, _url(draft, "draft-detail")))
    position = selectors.position_for_editing(draft, criterion.position.key)
    if request.htmx:
        return _criteria_response(request, draft, position, focus=f"{direction}:{key}")
    back = _url(draft, "position-detail", key=position.key)
    return redirect(_anchored(_next_url(request, back), f"crit-{key}"))
