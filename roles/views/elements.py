"""Full-page forms for the simple elements of a draft: tracks, roles, specialisms, levels,
positions, competencies and path steps (``ELEMENT_KINDS``), and renaming a category."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from roles import editing, selectors
from roles.editing import ConflictError, ElementDeletedError, element_label, element_name
from roles.forms import (
    CategoryForm,
    CompetencyForm,
    EditorForm,
    LevelForm,
    PathStepForm,
    PositionCreateForm,
    RoleForm,
    SubRoleForm,
    TrackForm,
)
from roles.models import (
    Competency,
    FrameworkVersion,
    Level,
    PathStep,
    Position,
    Role,
    SubRole,
    Track,
)
from roles.views.common import (
    GET_POST,
    add_errors,
    confirm_delete,
    draft_url,
    draft_view,
    edit_element,
    element_gone,
    next_url,
    page_context,
    render_page,
)


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
    back = next_url(request, draft_url(draft, "draft-detail") + f"#{spec.section}")
    form = spec.form(
        request.POST if request.method == "POST" else None,
        draft=draft,
        role=parent,
        creating=True,
        action=request.get_full_path(),
        next_url=back,
        submit_label=_("Add %(label)s") % {"label": _label(spec.model)},
        initial=_presets(request, draft),
    )
    if request.method == "POST" and form.is_valid():
        extra = {"role": parent} if parent is not None else {}
        try:
            element = spec.create(draft=draft, **extra, **form.values)
        except ValidationError as error:
            add_errors(form, error)
        else:
            added = _("Added %(label)s “%(name)s”.")
            messages.success(
                request, added % {"label": _label(spec.model), "name": element_name(element)}
            )
            if kind == "position":
                return redirect(draft_url(draft, "position-detail", key=element.key))
            return redirect(back)
    context = page_context(
        request, draft, form=form, spec=spec, label=_label(spec.model), parent=parent
    )
    return render_page(request, "roles/element_form.html", context)


@draft_view
@GET_POST
def element_edit(
    request: HttpRequest, draft: FrameworkVersion, kind: str, key: str
) -> HttpResponse:
    spec = ELEMENT_KINDS[kind]
    element = spec.model.objects.filter(version=draft, key=key).first()
    if element is None:
        return element_gone(request, draft, spec.model)
    form, conflict, saved = edit_element(request, draft, element, spec.form, spec.update)
    if saved is not None:
        message = _("Saved %(label)s “%(name)s”.")
        messages.success(
            request, message % {"label": _label(spec.model), "name": element_name(saved)}
        )
        return redirect(next_url(request, draft_url(draft, "draft-detail") + f"#{spec.section}"))
    context = page_context(
        request, draft, form=form, spec=spec, label=_label(spec.model), element=element
    )
    context["conflict"] = conflict
    context["delete_url"] = draft_url(draft, f"{kind.replace('_', '-')}-delete", key=key)
    return render_page(request, "roles/element_form.html", context, status=409 if conflict else 200)


@draft_view
@GET_POST
def element_delete(
    request: HttpRequest, draft: FrameworkVersion, kind: str, key: str
) -> HttpResponse:
    spec = ELEMENT_KINDS[kind]
    back = next_url(request, draft_url(draft, "draft-detail") + f"#{spec.section}")
    element = spec.model.objects.filter(version=draft, key=key).first()
    gone = _("This %(label)s had already been deleted.") % {"label": _label(spec.model)}
    if element is None and request.method == "POST":
        messages.info(request, gone)
        return redirect(back)
    if element is None:
        raise Http404(f"No such {_label(spec.model)} in the draft.")
    if request.method == "GET":
        return confirm_delete(request, draft, element, back=back)
    name = element_name(element)
    try:
        spec.delete(draft=draft, key=key, fingerprint=request.POST.get("fingerprint", ""))
    except ElementDeletedError:
        messages.info(request, gone)
    except ConflictError as error:
        return confirm_delete(request, draft, error.element, back=back, conflict=error)
    except ValidationError as error:
        return confirm_delete(request, draft, element, back=back, errors=error.messages)
    else:
        deleted = _("Deleted %(label)s “%(name)s”.")
        messages.success(request, deleted % {"label": _label(spec.model), "name": name})
    return redirect(back)


@draft_view
@require_POST
def element_move(
    request: HttpRequest, draft: FrameworkVersion, kind: str, key: str
) -> HttpResponse:
    spec = ELEMENT_KINDS[kind]
    back = next_url(request, draft_url(draft, "draft-detail") + f"#{spec.section}")
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down") or spec.move is None:
        return HttpResponseBadRequest(_("Move up or down."))
    try:
        spec.move(draft=draft, key=key, direction=direction)
    except ElementDeletedError:
        gone = _("This %(label)s had been deleted.") % {"label": _label(spec.model)}
        messages.info(request, gone)
    return redirect(back)


@draft_view
@GET_POST
def category_edit(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    name = request.GET.get("name", "")
    if not Competency.objects.filter(version=draft, category=name).exists():
        raise Http404("No such category in the draft.")
    back = next_url(request, draft_url(draft, "draft-detail") + "#competencies")
    form = CategoryForm(
        request.POST if request.method == "POST" else None,
        draft=draft,
        action=request.get_full_path(),
        next_url=back,
        submit_label=_("Rename"),
        initial={"new_name": name},
    )
    if request.method == "POST" and form.is_valid():
        new_name = form.cleaned_data["new_name"]
        try:
            count = editing.category_rename(draft=draft, name=name, new_name=new_name)
        except ValidationError as error:
            add_errors(form, error)
        else:
            renamed = ngettext(
                "Renamed the category of %(count)s competency.",
                "Renamed the category of %(count)s competencies.",
                count,
            )
            messages.success(request, renamed % {"count": count})
            return redirect(back)
    context = page_context(request, draft, form=form, category=name)
    return render_page(request, "roles/category_form.html", context)
