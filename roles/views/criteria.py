"""A position's title and summary, and its promotion criteria, edited on the position's
page: in place with htmx, or on full-page forms without JavaScript (see ``roles.views``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from roles import editing, selectors
from roles.editing import ConflictError, ElementDeletedError, element_label
from roles.forms import CriterionForm, PositionForm
from roles.markdown import render_markdown
from roles.models import FrameworkVersion, Position, PromotionCriterion
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


@draft_view
@GET_POST
def position_edit(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    position = (
        Position.objects.filter(version=draft, key=key)
        .select_related("role", "level", "level__track")
        .first()
    )
    if position is None:
        return element_gone(request, draft, Position)
    detail = draft_url(draft, "position-detail", key=key)
    try:
        form, conflict, saved = edit_element(
            request,
            draft,
            position,
            PositionForm,
            editing.position_update,
            next_url=next_url(request, detail),
            hx_target="#position-summary",
            cancel_hx_get=detail,
            id_prefix="position",
        )
    except ElementDeletedError:
        return element_gone(request, draft, Position)
    if saved is not None:
        if request.htmx:
            position = selectors.position_for_editing(draft, key)
            context = page_context(request, draft, position=position, focus="edit")
            return render_page(request, "roles/position_detail.html#summary", context)
        messages.success(request, _("Position saved."))
        return redirect(next_url(request, detail))
    status = 409 if conflict else 200
    context = page_context(
        request, draft, position=position, summary_form=form, form=form, conflict=conflict
    )
    if request.htmx:
        return render_page(request, "roles/position_detail.html#summary", context, status)
    context.update(label=element_label(Position), element=position)
    context["delete_url"] = draft_url(draft, "position-delete", key=key)
    return render_page(request, "roles/element_form.html", context, status)


def _criteria_response(
    request: HttpRequest, draft: FrameworkVersion, position: Position, status: int = 200, **extra
) -> HttpResponse:
    criteria = list(PromotionCriterion.objects.filter(position=position).order_by("order", "pk"))
    context = page_context(request, draft, position=position, criteria=criteria, **extra)
    context["return_to"] = next_url(request, draft_url(draft, "position-detail", key=position.key))
    return render_page(request, "roles/position_detail.html#criteria", context, status)


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
    context = page_context(
        request, draft, criterion=criterion, position=criterion.position, **extra
    )
    context["return_to"] = back
    return render_page(request, "roles/position_detail.html#criterion", context, status)


def _criteria_url(draft: FrameworkVersion, criterion: PromotionCriterion) -> str:
    return (
        draft_url(draft, "position-detail", key=criterion.position.key) + f"#crit-{criterion.key}"
    )


@draft_view
@GET_POST
def criterion_create(request: HttpRequest, draft: FrameworkVersion, position: str) -> HttpResponse:
    target = selectors.position_for_editing(draft, position)
    detail = draft_url(draft, "position-detail", key=position)
    back = next_url(request, detail + "#criteria")
    posted = request.method == "POST"
    form = CriterionForm(
        request.POST if posted else None,
        draft=draft,
        action=request.path,
        next_url=back,
        hx_target="#criteria",
        cancel_hx_get=draft_url(draft, "criterion-list", position=position),
        id_prefix="new-criterion",
        submit_label=_("Add criterion"),
        preview_url=draft_url(draft, "markdown-preview"),
        preview_html=render_markdown(request.POST.get("text", ""))
        if "preview" in request.POST
        else "",
        initial={"required": True},
    )
    if posted and "preview" not in request.POST and form.is_valid():
        try:
            criterion = editing.criterion_create(draft=draft, position=target, **form.values)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if request.htmx:
                return _criteria_response(request, draft, target, focus="add")
            messages.success(request, _("Criterion added."))
            return redirect(anchored(back, f"crit-{criterion.key}"))
    if request.htmx:
        return _criteria_response(request, draft, target, add_form=form)
    label = element_label(PromotionCriterion)
    context = page_context(request, draft, form=form, position=target, label=label)
    return render_page(request, "roles/criterion_form.html", context)


@draft_view
@require_safe
def criterion_list(request: HttpRequest, draft: FrameworkVersion, position: str) -> HttpResponse:
    target = selectors.position_for_editing(draft, position)
    if not request.htmx:
        return redirect(draft_url(draft, "position-detail", key=position) + "#criteria")
    return _criteria_response(request, draft, target, focus="add")


@draft_view
@require_safe
def criterion_detail(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    criterion = _criterion(draft, key)
    if criterion is None:
        return element_gone(request, draft, PromotionCriterion)
    if not request.htmx:
        return redirect(_criteria_url(draft, criterion))
    back = next_url(request, _criteria_url(draft, criterion))
    return _criterion_response(request, draft, criterion, back=back, focus="edit")


@draft_view
@GET_POST
def criterion_edit(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    criterion = _criterion(draft, key)
    if criterion is None:
        return element_gone(request, draft, PromotionCriterion)
    back = next_url(request, _criteria_url(draft, criterion))
    try:
        form, conflict, saved = edit_element(
            request,
            draft,
            criterion,
            CriterionForm,
            editing.criterion_update,
            next_url=back,
            hx_target="closest li",
            cancel_hx_get=draft_url(draft, "criterion-detail", key=key),
            id_prefix=f"crit-{criterion.pk}",
        )
    except ElementDeletedError:
        return element_gone(request, draft, PromotionCriterion)
    if saved is not None:
        if request.htmx:
            criterion = _criterion(draft, key)
            return _criterion_response(request, draft, criterion, back=back, focus="edit")
        messages.success(request, _("Criterion saved."))
        return redirect(anchored(back, f"crit-{key}"))
    status = 409 if conflict else 200
    if request.htmx:
        return _criterion_response(
            request, draft, criterion, back=back, status=status, form=form, conflict=conflict
        )
    context = page_context(request, draft, criterion=criterion, form=form, conflict=conflict)
    context.update(position=criterion.position, label=element_label(PromotionCriterion))
    return render_page(request, "roles/criterion_form.html", context, status)


@draft_view
@GET_POST
def criterion_delete(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    criterion = _criterion(draft, key)
    position_key = criterion.position.key if criterion else request.POST.get("position", "")
    back = next_url(request, draft_url(draft, "position-detail", key=position_key) + "#criteria")
    if request.method == "GET":
        if criterion is None:
            raise Http404("No such criterion in the draft.")
        return confirm_delete(request, draft, criterion, back=back)
    fp = request.POST.get("fingerprint", "")
    try:
        editing.criterion_delete(draft=draft, key=key, fingerprint=fp)
    except ElementDeletedError:
        notice = _("This criterion had already been deleted.")
    except ConflictError as error:
        if not request.htmx:
            return confirm_delete(request, draft, error.element, back=back, conflict=error)
        conflict = {"key": key, "fingerprint": error.fingerprint}
        target = selectors.position_for_editing(draft, position_key)
        return _criteria_response(request, draft, target, 409, delete_conflict=conflict)
    else:
        notice = _("Criterion deleted.")
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
        return HttpResponseBadRequest(_("Move up or down."))
    try:
        criterion = editing.criterion_move(draft=draft, key=key, direction=direction)
    except ElementDeletedError:
        messages.info(request, _("This criterion had been deleted."))
        return redirect(next_url(request, draft_url(draft, "draft-detail")))
    position = selectors.position_for_editing(draft, criterion.position.key)
    if request.htmx:
        return _criteria_response(request, draft, position, focus=f"{direction}:{key}")
    back = draft_url(draft, "position-detail", key=position.key)
    return redirect(anchored(next_url(request, back), f"crit-{key}"))
