"""Statements edited inline in a cell of a role's matrix or of the position editor:
show, add, edit, delete and reorder them, one fragment at a time with htmx (see
``roles.views``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from roles import editing, selectors
from roles.editing import ConflictError, ElementDeletedError
from roles.forms import ExpectationForm
from roles.markdown import render_markdown
from roles.models import Expectation, FrameworkVersion
from roles.views.common import (
    GET_POST,
    add_errors,
    anchored,
    confirm_delete,
    draft_url,
    draft_view,
    edit_element,
    element_gone,
    next_url,
    page_context,
    render_page,
)


def _cell_response(
    request: HttpRequest, draft: FrameworkVersion, cell: selectors.Cell, status: int = 200, **extra
) -> HttpResponse:
    default = draft_url(draft, "role-matrix", key=cell.position.role.key)
    context = page_context(request, draft, cell=cell, **extra)
    context["return_to"] = next_url(request, default)
    return render_page(request, "roles/partials/expectation_cell.html", context, status=status)


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
    context = page_context(request, draft, statement=statement, **extra)
    context.update(
        return_to=back,
        position_key=statement.position.key,
        competency_key=statement.competency.key,
    )
    return render_page(request, "roles/partials/expectation_item.html", context, status)


def _matrix_url(draft: FrameworkVersion, expectation: Expectation) -> str:
    url = draft_url(draft, "role-matrix", key=expectation.position.role.key)
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
        url = draft_url(draft, "role-matrix", key=cell.position.role.key)
        return redirect(f"{url}#{cell.anchor}")
    return _cell_response(request, draft, cell, focus="add")


@draft_view
@GET_POST
def expectation_create(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    cell = _posted_cell(request, draft)
    cell_keys = {"position": cell.position.key, "competency": cell.competency.key}
    default = draft_url(draft, "role-matrix", key=cell.position.role.key) + f"#{cell.anchor}"
    back = next_url(request, default)
    posted = request.method == "POST"
    form = ExpectationForm(
        request.POST if posted else None,
        draft=draft,
        role=cell.position.role,
        action=f"{draft_url(draft, 'expectation-create')}?{urlencode(cell_keys)}",
        next_url=back,
        hx_target="closest .cf-cell",
        cancel_hx_get=draft_url(
            draft, "cell-detail", position=cell.position.key, competency=cell.competency.key
        ),
        id_prefix=f"new-{cell.position.pk}-{cell.competency.pk}",
        submit_label=_("Add statement"),
        preview_url=draft_url(draft, "markdown-preview"),
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
            add_errors(form, error)
        else:
            if request.htmx:
                cell = selectors.cell_for_editing(draft, cell.position.key, cell.competency.key)
                return _cell_response(request, draft, cell, focus="add")
            messages.success(request, _("Statement added."))
            return redirect(anchored(back, f"exp-{expectation.key}"))
    if request.htmx:
        return _cell_response(request, draft, cell, add_form=form)
    context = page_context(request, draft, form=form, cell=cell, position=cell.position)
    return render_page(request, "roles/expectation_form.html", context)


@draft_view
@require_safe
def expectation_detail(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    expectation = _expectation(draft, key)
    if expectation is None:
        return element_gone(request, draft, Expectation)
    if not request.htmx:
        return redirect(_matrix_url(draft, expectation))
    back = next_url(request, _matrix_url(draft, expectation))
    return _item_response(request, draft, expectation, back=back, focus="edit")


@draft_view
@GET_POST
def expectation_edit(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    expectation = _expectation(draft, key)
    if expectation is None:
        return element_gone(request, draft, Expectation)
    back = next_url(request, _matrix_url(draft, expectation))
    try:
        form, conflict, saved = edit_element(
            request,
            draft,
            expectation,
            ExpectationForm,
            editing.expectation_update,
            role=expectation.position.role,
            next_url=back,
            hx_target="closest li",
            cancel_hx_get=draft_url(draft, "expectation-detail", key=key),
            id_prefix=f"exp-{expectation.pk}",
        )
    except ElementDeletedError:
        return element_gone(request, draft, Expectation)
    if saved is not None:
        if request.htmx:
            expectation = _expectation(draft, key)
            return _item_response(request, draft, expectation, back=back, focus="edit")
        messages.success(request, _("Statement saved."))
        return redirect(anchored(back, f"exp-{key}"))
    status = 409 if conflict else 200
    if request.htmx:
        return _item_response(
            request, draft, expectation, back=back, status=status, form=form, conflict=conflict
        )
    context = page_context(request, draft, statement=expectation, form=form, conflict=conflict)
    context.update(cell=None, position=expectation.position)
    return render_page(request, "roles/expectation_form.html", context, status)


@draft_view
@GET_POST
def expectation_delete(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    expectation = _expectation(draft, key)
    default = _matrix_url(draft, expectation) if expectation else draft_url(draft, "draft-detail")
    back = next_url(request, default)
    if request.method == "GET":
        if expectation is None:
            raise Http404("No such statement in the draft.")
        return confirm_delete(request, draft, expectation, back=back)
    fp = request.POST.get("fingerprint", "")
    try:
        editing.expectation_delete(draft=draft, key=key, fingerprint=fp)
    except ElementDeletedError:
        notice = _("This statement had already been deleted.")
    except ConflictError as error:
        if not request.htmx:
            return confirm_delete(request, draft, error.element, back=back, conflict=error)
        conflict = {"key": key, "fingerprint": error.fingerprint}
        cell = _posted_cell(request, draft)
        return _cell_response(request, draft, cell, 409, delete_conflict=conflict)
    else:
        notice = _("Statement deleted.")
    if request.htmx:
        cell = _posted_cell(request, draft)
        return _cell_response(request, draft, cell, notice=notice, focus="add")
    messages.success(request, notice)
    return redirect(back)


@draft_view
@require_POST
def expectation_move(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest(_("Move up or down."))
    try:
        expectation = editing.expectation_move(draft=draft, key=key, direction=direction)
    except ElementDeletedError:
        notice = _("This statement had been deleted.")
        if request.htmx:
            return _cell_response(request, draft, _posted_cell(request, draft), notice=notice)
        messages.info(request, notice)
        return redirect(next_url(request, draft_url(draft, "draft-detail")))
    if request.htmx:
        cell = selectors.cell_for_editing(
            draft, expectation.position.key, expectation.competency.key
        )
        return _cell_response(request, draft, cell, focus=f"{direction}:{key}")
    return redirect(anchored(next_url(request, _matrix_url(draft, expectation)), f"exp-{key}"))
