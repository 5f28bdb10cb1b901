"""Assessment pages. Every view needs a login (anonymous visitors go to the login page) and
loads its assessment through ``access``, which answers 404 to anyone with no part in it.
State changes are POST only and redirect; decided assessments refuse every write."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reviews.assessments import access, selectors, services
from reviews.assessments.access import AssessmentAccess
from reviews.assessments.export import export_rows
from reviews.assessments.forms import (
    AssessmentStartForm,
    DecideForm,
    PersonPickForm,
    RatingsForm,
    status_filter_choices,
)
from reviews.assessments.page import assessment_page
from reviews.models import Assessment, AssessmentStatus
from roles.access import is_hr

PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("No such assessment.")


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _detail(assessment: Assessment, anchor: str = "") -> HttpResponse:
    return redirect(reverse("reviews:assessment-detail", kwargs={"pk": assessment.pk}) + anchor)


def _refused(request: HttpRequest, assessment: Assessment, doing: str) -> HttpResponse | None:
    """Refuse a write the assessment's status no longer allows (decided ones are read-only),
    with a message; None when the write may go ahead."""
    if assessment.is_decided:
        messages.error(request, _error_text(services.read_only_error(assessment)))
        return _detail(assessment)
    if assessment.status != AssessmentStatus.DRAFT:
        messages.error(
            request,
            _("This assessment is %(status)s; %(doing)s.")
            % {"status": assessment.get_status_display().lower(), "doing": doing},
        )
        return _detail(assessment)
    return None


# --- list, export, start --------------------------------------------------------------------


@login_required
@require_safe
def assessment_list(request: HttpRequest) -> HttpResponse:
    """HR: every assessment; a lead: their people's; a person: their own (once shared)."""
    _require(access.can_list(request.user))
    assessments = access.visible_assessments(request.user)
    status = request.GET.get("status", "")
    if status in AssessmentStatus.values:
        assessments = assessments.filter(status=status)
    person = request.GET.get("person", "")
    if person.isdigit():
        assessments = assessments.filter(person_id=int(person))
    rows = selectors.assessment_list(assessments).order_by("-updated_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": status_filter_choices(),
        "person_filter": person if person.isdigit() else "",
        "can_start": access.can_start(request.user),
        "can_export": access.can_export(request.user),
    }
    return render(request, "reviews/assessments/assessment_list.html", context)


@login_required
@require_safe
def assessment_export(request: HttpRequest) -> HttpResponse:
    """Decided assessments as CSV for HR, cells neutralised against formula injection."""
    _require(access.can_export(request.user))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"assessments-decided-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # spreadsheets then read the file as UTF-8
    writer = csv.writer(response)
    writer.writerows(export_rows(access.visible_assessments(request.user)))
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_create(request: HttpRequest) -> HttpResponse:
    """Pick the person (a GET form), then the target position and whether they rate
    themselves first (POST starts the assessment)."""
    _require(access.can_start(request.user))
    people = access.startable_people(request.user)
    chosen = request.POST.get("person") or request.GET.get("person") or ""
    person = people.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if person is None:
        _require(request.method != "POST")
        form = PersonPickForm(people=people)
        return render(request, "reviews/assessments/assessment_form.html", {"pick_form": form})
    version = selectors.current_version(person.framework_id)
    if version is None:
        messages.error(
            request,
            _("%(framework)s has no published version yet.") % {"framework": person.framework.name},
        )
        return redirect("reviews:assessment-create")
    choices = selectors.target_choices(person, version, hr=is_hr(request.user))
    form = AssessmentStartForm(
        request.POST or None,
        initial={"person": person.pk},
        choices=choices,
        can_self=bool(person.user_id),
    )
    if request.method == "POST" and form.is_valid():
        option = choices.find(form.cleaned_data["target"])
        try:
            assessment = services.assessment_start(
                lead=request.user,
                person=person,
                target=option.position,
                self_assessment=form.cleaned_data.get("self_assessment", False),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Started assessment #%(number)s of %(person)s.")
                % {"number": assessment.pk, "person": person.name},
            )
            if assessment.status == AssessmentStatus.SELF_REVIEW:
                return _detail(assessment)
            return redirect("reviews:assessment-edit", pk=assessment.pk)
    context = {
        "form": form,
        "person": person,
        "version": version,
        "choices": choices,
        "in_progress": Assessment.objects.undecided().filter(person=person).first(),
    }
    return render(request, "reviews/assessments/assessment_form.html", context)


# --- one assessment -----------------------------------------------------------------------


def _page_context(acc: AssessmentAccess, **extra) -> dict:
    page = assessment_page(acc.assessment, show_self=acc.sees_self_ratings)
    return {"a": acc.assessment, "acc": acc, "page": page, **extra}


@login_required
@require_safe
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole assessment, read-only and printable; HR decides here."""
    acc = access.get_assessment_access_or_404(request.user, pk)
    if not acc.can_read:
        _require(acc.can_see_self_page)
        return redirect("reviews:assessment-self", pk=pk)
    decide_form = None
    if acc.can_decide:
        action = reverse("reviews:assessment-decide", kwargs={"pk": pk})
        decide_form = DecideForm(action=action)
    context = _page_context(acc, decide_form=decide_form)
    return render(request, "reviews/assessments/assessment_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead's working page: a rating and evidence per criterion, the two positions'
    expectations beside them, the person's own ratings when they gave them."""
    acc = access.get_assessment_access_or_404(request.user, pk)
    _require(acc.writer)
    refused = _refused(request, acc.assessment, _("it cannot be edited now"))
    if refused is not None:
        return refused
    context = _page_context(acc)
    form = RatingsForm(request.POST or None, rows=context["page"].rows, assessment=acc.assessment)
    if request.method == "POST" and _save_ratings(request, acc, form):
        messages.success(request, _("Saved as draft."))
        return redirect("reviews:assessment-edit", pk=pk)
    context["form"] = form
    return render(request, "reviews/assessments/assessment_edit.html", context)


def _save_ratings(request: HttpRequest, acc: AssessmentAccess, form: RatingsForm) -> bool:
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: some fields need attention (marked below)."))
        return False
    try:
        services.ratings_save(
            assessment=acc.assessment,
            user=request.user,
            ratings=form.inputs(),
            summary=form.cleaned_data["summary"],
            recommendation=form.cleaned_data["recommendation"],
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return False
    return True


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit to HR; from the edit page the ratings in the form are saved first."""
    acc = access.get_assessment_access_or_404(request.user, pk)
    _require(acc.writer)
    a = acc.assessment
    if "ratings" in request.POST:
        refused = _refused(request, a, _("it cannot be submitted now"))
        if refused is not None:
            return refused
        context = _page_context(acc)
        form = RatingsForm(request.POST, rows=context["page"].rows, assessment=a)
        if not _save_ratings(request, acc, form):
            context["form"] = form
            return render(request, "reviews/assessments/assessment_edit.html", context)
    try:
        services.assessment_submit(assessment=a, user=request.user)
    except services.MissingRatings as exc:
        messages.error(request, _("Not submitted. %(problems)s") % {"problems": _error_text(exc)})
        return redirect(reverse("reviews:assessment-edit", kwargs={"pk": pk}) + "#progress")
    except ValidationError as exc:
        messages.error(request, _("Not submitted. %(problems)s") % {"problems": _error_text(exc)})
        return _detail(a)
    messages.success(
        request, _("Submitted assessment #%(number)s to HR for a decision.") % {"number": a.pk}
    )
    return _detail(a)


@login_required
@require_POST
def assessment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    acc = access.get_assessment_access_or_404(request.user, pk)
    _require(acc.hr and not acc.subject)
    a = acc.assessment
    if a.is_decided:
        messages.error(request, _error_text(services.read_only_error(a)))
        return _detail(a)
    form = DecideForm(request.POST, action=reverse("reviews:assessment-decide", kwargs={"pk": pk}))
    if form.is_valid():
        try:
            services.assessment_decide(
                assessment=a,
                user=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                effective_on=form.cleaned_data["effective_on"],
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                _("Recorded: %(decision)s.") % {"decision": a.get_decision_display().lower()},
            )
        return _detail(a)
    context = _page_context(acc, decide_form=form)
    return render(request, "reviews/assessments/assessment_detail.html", context, status=400)


@login_required
@require_POST
def assessment_repin(request: HttpRequest, pk: int) -> HttpResponse:
    acc = access.get_assessment_access_or_404(request.user, pk)
    _require(acc.writer)
    try:
        result = services.assessment_repin(assessment=acc.assessment, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return _detail(acc.assessment)
    kept = ngettext("%(count)s rating", "%(count)s ratings", result.kept) % {"count": result.kept}
    added = ngettext("%(count)s new criterion", "%(count)s new criteria", result.added) % {
        "count": result.added
    }
    dropped = (
        _("%(count)s dropped") % {"count": result.dropped} if result.dropped else _("none dropped")
    )
    messages.success(
        request,
        _("Moved to %(version)s: %(kept)s kept, %(added)s to rate, %(dropped)s.")
        % {
            "version": result.assessment.version.label,
            "kept": kept,
            "added": added,
            "dropped": dropped,
        },
    )
    return _detail(acc.assessment)


@login_required
@require_POST
def assessment_self_request(request: HttpRequest, pk: int) -> HttpResponse:
    acc = access.get_assessment_access_or_404(request.user, pk)
    _require(acc.writer)
    try:
        services.self_assessment_request(assessment=acc.assessment, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("Asked %(person)s to rate themselves; you can continue once they hand it in.")
            % {"person": acc.assessment.person.name},
        )
    return _detail(acc.assessment)


@login_required
@require_POST
def assessment_self_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    acc = access.get_assessment_access_or_404(request.user, pk)
    _require(acc.writer)
    try:
        services.self_assessment_withdraw(assessment=acc.assessment, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("You no longer wait for the self-assessment."))
    return _detail(acc.assessment)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_self(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's own page: rate themselves first, with their own evidence (while
    requested); afterwards, what they handed in."""
    acc = access.get_assessment_access_or_404(request.user, pk)
    _require(acc.can_see_self_page)
    a = acc.assessment
    if request.method == "POST":
        if a.is_decided:
            messages.error(request, _error_text(services.read_only_error(a)))
            return redirect("reviews:assessment-self", pk=pk)
        if not acc.can_self_assess:
            messages.error(request, _("Your self-assessment was already handed in or withdrawn."))
            return redirect("reviews:assessment-self", pk=pk)
    page = assessment_page(a, show_self=True)
    form = None
    if acc.can_self_assess:
        form = RatingsForm(request.POST or None, rows=page.rows, by_self=True)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.self_assessment_save(
                assessment=a, user=request.user, ratings=form.inputs(), submit=submit
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                _("Handed in: your lead now sees your ratings.")
                if submit
                else _("Saved. Hand it in when you are ready."),
            )
            return redirect("reviews:assessment-self", pk=pk)
    elif request.method == "POST":
        messages.error(request, _("Nothing was saved: some fields need attention (marked below)."))
    context = {"a": a, "acc": acc, "page": page, "form": form}
    return render(request, "reviews/assessments/assessment_self.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    acc = access.get_assessment_access_or_404(request.user, pk)
    _require(acc.writer)
    a = acc.assessment
    if not a.is_open:
        if a.is_decided:
            messages.error(request, _error_text(services.read_only_error(a)))
        else:
            messages.error(request, _("A submitted assessment cannot be deleted; HR decides it."))
        return _detail(a)
    if request.method == "POST":
        try:
            services.assessment_delete(assessment=a, user=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return _detail(a)
        messages.success(
            request,
            _("Deleted assessment #%(number)s of %(person)s.")
            % {"number": pk, "person": a.person.name},
        )
        return redirect("reviews:assessment-list")
    return render(request, "reviews/assessments/assessment_confirm_delete.html", {"a": a})
