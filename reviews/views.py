"""Review pages: revisions, diffs, rounds, decisions, comments, policy, activity, inbox.

Every view requires a login (anonymous visitors are sent to the login page, whether or not
the URL exists) and then loads its object through reviews.access, which answers 404 for
anything the user may not see.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reviews import access, selectors, services
from reviews.diffview import build_diff_view
from reviews.forms import (
    CommentForm,
    DecisionForm,
    DelegateForm,
    PolicyForm,
    RevisionSaveForm,
    RoundOpenForm,
    SeatFormSet,
)
from reviews.models import ApprovalRule, Comment, ReviewRound, Revision, StakeholderGroup
from reviews.refs import DocumentRef, resolve_ref
from reviews.roundpage import round_page
from roles.diff import diff_documents
from roles.models import Framework


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _workspace(framework: Framework, tab: str, editor: bool) -> dict:
    open_round = ReviewRound.objects.open().filter(framework=framework).first()
    return {"framework": framework, "active_tab": tab, "editor": editor, "open_round": open_round}


# --- revisions ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def revision_list(request: HttpRequest, slug: str) -> HttpResponse:
    """History of revisions; editors save the draft as a new revision here (POST)."""
    framework = access.get_editable_framework_or_404(request.user, slug)
    form = RevisionSaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.revision_save(
                framework=framework, user=request.user, summary=form.cleaned_data["summary"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if result.created:
                messages.success(
                    request,
                    _("Saved the draft as %(revision)s.") % {"revision": result.revision.label},
                )
            else:
                messages.info(
                    request,
                    _("The draft is identical to %(revision)s; nothing new was stored.")
                    % {"revision": result.revision.label},
                )
            return redirect("reviews:revision-list", slug=slug)
    context = _workspace(framework, "revisions", True)
    context.update(form=form, revisions=selectors.revision_list(framework))
    context["draft_sha"] = services.draft_document(framework)[1]
    return render(request, "reviews/revision_list.html", context)


@login_required
@require_safe
def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    revision, editor = access.get_revision_or_404(request.user, slug, number)
    context = _workspace(revision.framework, "revisions", editor)
    context.update(revision=revision, outline=selectors.document_outline(revision.document))
    return render(request, "reviews/revision_detail.html", context)


@login_required
@require_POST
def revision_restore(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    framework = access.get_editable_framework_or_404(request.user, slug)
    revision = get_object_or_404(Revision, framework=framework, number=number)
    backup = services.revision_restore(revision=revision, user=request.user)
    message = _("The draft now holds %(revision)s.") % {"revision": revision.label}
    if backup is not None and backup.created:
        message += " " + _("The previous draft was saved first as %(revision)s.") % {
            "revision": backup.revision.label
        }
    messages.success(request, message)
    return redirect("reviews:revision-list", slug=slug)


# --- diffs ------------------------------------------------------------------------------------


def _diff_sides(
    request: HttpRequest, slug: str
) -> tuple[Framework, bool, DocumentRef, DocumentRef]:
    framework, editor = access.get_framework_for_review_or_404(request.user, slug)
    limit = access.readable_revision_limit(request.user, framework, editor)
    try:
        old = resolve_ref(framework, request.GET.get("from", ""), revision_limit=limit)
        new = resolve_ref(framework, request.GET.get("to", "") or "draft", revision_limit=limit)
    except LookupError as exc:
        raise Http404(str(exc)) from None
    return framework, editor, old, new


@login_required
@require_safe
def revision_diff(request: HttpRequest, slug: str) -> HttpResponse:
    """``?from=r3&to=r5`` (or ``draft``, ``v2``, ``published``); ``view=inline|side``."""
    framework, editor, old, new = _diff_sides(request, slug)
    context = _workspace(framework, "revisions", editor)
    context.update(
        old=old,
        new=new,
        diff=build_diff_view(old.document, new.document),
        view_mode="inline" if request.GET.get("view") == "inline" else "side",
        refs=selectors.diff_ref_choices(framework, editor=editor, user=request.user),
    )
    return render(request, "reviews/revision_diff.html", context)


@login_required
@require_safe
def revision_diff_json(request: HttpRequest, slug: str) -> JsonResponse:
    _framework, _editor, old, new = _diff_sides(request, slug)
    body = diff_documents(old.document, new.document).to_json()
    body.update({"from": old.ref, "to": new.ref})
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


# --- rounds -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    framework = access.get_editable_framework_or_404(request.user, slug)
    data = request.POST if request.method == "POST" else None
    form = RoundOpenForm(data, framework=framework, initial=_round_initial(framework))
    group_members = selectors.group_members()
    # The members of the stakeholder groups fill the first rows; the editor may change them.
    initial = None if data else selectors.suggested_seats(framework, group_members)
    seats = SeatFormSet(data, prefix="seats", initial=initial)
    if request.method == "POST" and form.is_valid() and seats.is_valid():
        try:
            round = services.round_open(
                revision=form.cleaned_data["revision"],
                user=request.user,
                reviewers=seats.seats,
                due_on=form.cleaned_data["due_on"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Review round opened; %(count)s reviewer(s) notified.")
                % {"count": len(seats.seats)},
            )
            return redirect("reviews:round-detail", slug=slug, pk=round.pk)
    context = _workspace(framework, "review", True)
    context.update(
        form=form,
        seats=seats,
        group_members=group_members,
        has_revisions=form.fields["revision"].queryset.exists(),
    )
    return render(request, "reviews/round_form.html", context)


def _round_initial(framework: Framework) -> dict:
    latest = Revision.objects.filter(framework=framework).order_by("-number").first()
    return {
        "revision": latest.pk if latest else None,
        "due_on": timezone.localdate() + datetime.timedelta(days=7),
    }


@login_required
@require_safe
def round_list(request: HttpRequest, slug: str) -> HttpResponse:
    framework, editor = access.get_framework_for_review_or_404(request.user, slug)
    rounds = selectors.round_list(framework, user=None if editor else request.user)
    context = _workspace(framework, "review", editor)
    context["rounds"] = rounds
    return render(request, "reviews/round_list.html", context)


@login_required
@require_safe
def round_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round, editor = access.get_round_or_404(request.user, slug, pk)
    context = round_page(
        round, user=request.user, editor=editor, since=request.GET.get("since", "")
    )
    context.update(_workspace(round.framework, "review", editor))
    for seat in context["my_seats"]:
        services.reviewer_mark_seen(seat=seat, revision=round.revision)
    return render(request, "reviews/round_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The one-click decision page the emails link to; POST records the decision."""
    round, editor = access.get_round_or_404(request.user, slug, pk)
    seats = access.seats_for(request.user, round)
    if request.method == "GET" or request.method == "HEAD":
        return redirect(
            reverse("reviews:round-detail", kwargs={"slug": slug, "pk": pk}) + "#decide"
        )
    form = DecisionForm(request.POST)
    if not seats:
        messages.error(request, _("You are not a reviewer in this round."))
    elif form.is_valid():
        seat = next((s for s in seats if s.pk == form.cleaned_data.get("seat")), seats[0])
        try:
            decision = services.decision_record(
                round=round,
                seat=seat,
                user=request.user,
                verdict=form.cleaned_data["verdict"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                _("Recorded: %(verdict)s on %(revision)s.")
                % {
                    "verdict": decision.get_verdict_display().lower(),
                    "revision": round.revision.label,
                },
            )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("reviews:round-detail", kwargs={"slug": slug, "pk": pk}) + "#decide")


@login_required
@require_POST
def round_advance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = access.get_editable_round_or_404(request.user, slug, pk)
    latest = Revision.objects.filter(framework=round.framework).order_by("-number").first()
    try:
        services.round_advance(round=round, revision=latest, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("The round is now on %(revision)s; reviewers were told what changed.")
            % {"revision": latest.label},
        )
    return redirect("reviews:round-detail", slug=slug, pk=pk)


@login_required
@require_POST
def round_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = access.get_editable_round_or_404(request.user, slug, pk)
    try:
        services.round_close(round=round, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The review round is closed."))
    return redirect("reviews:round-detail", slug=slug, pk=pk)


@login_required
@require_POST
def round_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = access.get_editable_round_or_404(request.user, slug, pk)
    try:
        version = services.round_publish(round=round, user=request.user)
    except services.PublishBlocked as blocked:
        messages.error(
            request, _("Not published yet: %(reasons)s") % {"reasons": " ".join(blocked.reasons)}
        )
        return redirect("reviews:round-detail", slug=slug, pk=pk)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("reviews:round-detail", slug=slug, pk=pk)
    messages.success(
        request,
        _("Published %(revision)s as version %(number)s.")
        % {"revision": round.revision.label, "number": version.number},
    )
    return redirect("ladders:framework-detail", slug=slug)


@login_required
@require_POST
def reviewer_delegate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round, _editor = access.get_round_or_404(request.user, slug, pk)
    own = [s for s in access.seats_for(request.user, round) if s.user_id == request.user.pk]
    form = DelegateForm(request.POST, seat=own[0] if own else None)
    if not own:
        messages.error(request, _("Only a reviewer can delegate their review."))
    elif form.is_valid():
        try:
            services.reviewer_delegate(
                seat=own[0], delegate=form.cleaned_data["delegate"], user=request.user
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            delegate = form.cleaned_data["delegate"]
            messages.success(
                request,
                _("%(delegate)s now decides for you.") % {"delegate": delegate}
                if delegate
                else _("You decide yourself again."),
            )
    else:
        messages.error(request, _("Pick someone to decide for you."))
    return redirect("reviews:round-detail", slug=slug, pk=pk)


# --- comments -----------------------------------------------------------------------------------


@login_required
@require_POST
def comment_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round, _editor = access.get_round_or_404(request.user, slug, pk)
    form = CommentForm(request.POST)
    target = reverse("reviews:round-detail", kwargs={"slug": slug, "pk": pk})
    if not form.is_valid():
        messages.error(request, _("Write a comment first."))
        return redirect(target + "#comments")
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"], round=round).first()
        if parent is None:
            messages.error(request, _("That comment thread does not exist in this round."))
            return redirect(target + "#comments")
    try:
        comment = services.comment_create(
            round=round,
            user=request.user,
            body=form.cleaned_data["body"],
            anchor=form.cleaned_data.get("anchor") or "",
            parent=parent,
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(target + "#comments")
    messages.success(request, _("Comment added."))
    return redirect(f"{target}#comment-{comment.parent_id or comment.pk}")


@login_required
@require_POST
def comment_resolve(request: HttpRequest, slug: str, pk: int, comment: int) -> HttpResponse:
    round, _editor = access.get_round_or_404(request.user, slug, pk)
    thread = get_object_or_404(Comment, pk=comment, round=round)
    try:
        services.comment_resolve(
            comment=thread, user=request.user, resolved=request.POST.get("resolved") != "0"
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    target = reverse("reviews:round-detail", kwargs={"slug": slug, "pk": pk})
    return redirect(f"{target}#comment-{thread.pk}")


# --- policy, activity, inbox ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def policy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    framework = access.get_editable_framework_or_404(request.user, slug)
    rules = ApprovalRule.objects.filter(framework=framework)
    form = PolicyForm(
        request.POST or None, groups=StakeholderGroup.objects.all(), rules=list(rules)
    )
    if request.method == "POST" and form.is_valid():
        services.policy_set(framework=framework, user=request.user, rules=form.rules)
        messages.success(request, _("Approval policy saved."))
        return redirect("reviews:policy-edit", slug=slug)
    context = _workspace(framework, "policy", True)
    context["form"] = form
    return render(request, "reviews/policy_form.html", context)


@login_required
@require_safe
def activity_list(request: HttpRequest, slug: str) -> HttpResponse:
    framework = access.get_editable_framework_or_404(request.user, slug)
    context = _workspace(framework, "activity", True)
    context["activity"] = selectors.activity_list(framework)[:300]
    return render(request, "reviews/activity_list.html", context)


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.inbox(request.user))
    today = timezone.localdate()
    return render(request, "reviews/inbox.html", {"rounds": rounds, "today": today})
