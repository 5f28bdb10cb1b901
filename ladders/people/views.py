"""People pages: directory, person, add/edit, CSV import, level distribution."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ladders.pay.selectors import pay_positions
from ladders.pay.views import person_pay_context
from ladders.people import access, selectors, services
from ladders.people.csvfile import parse_people_csv
from ladders.people.forms import PeopleImportForm, PersonForm
from roles.access import is_hr
from roles.formats import ImportFailed


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("No such page.")


def _lead_filter(request: HttpRequest, people):
    lead = request.GET.get("lead", "")
    if lead.isdigit() and is_hr(request.user):
        people = people.filter(lead_id=int(lead))
    return people, lead


@login_required
@require_safe
def person_list(request: HttpRequest) -> HttpResponse:
    _require(access.can_list_people(request.user))
    people, lead = _lead_filter(request, access.visible_people(request.user))
    rows = selectors.directory(people, today=timezone.localdate())
    return render(
        request,
        "ladders/person_list.html",
        {"rows": rows, "lead": lead, "leads": selectors.leads(), "hr": is_hr(request.user)},
    )


@login_required
@require_safe
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_or_404(request.user, pk)
    row = selectors.directory(type(person).objects.filter(pk=person.pk), today=timezone.localdate())
    return render(
        request,
        "ladders/person_detail.html",
        {
            "person": person,
            "row": row[0] if row else None,
            "history": selectors.history(person),
            "hr": is_hr(request.user),
            **person_pay_context(request.user, person),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(is_hr(request.user))
    person = access.get_person_or_404(request.user, pk) if pk else None
    initial = {}
    if person is not None:
        initial = {
            "name": person.name,
            "email": person.email,
            "lead": person.lead_id,
            "login": person.user_id,
            "framework": person.framework_id,
            "role": person.role_key,
            "level": person.level_key,
            "sub_role": person.sub_role_key,
        }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.person_save(
                user=request.user,
                placement=data["placement"],
                name=data["name"],
                email=data["email"],
                lead=data["lead"],
                login=data["login"],
                person=person,
                since=data.get("since"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
            return redirect("ladders:person-detail", pk=saved.pk)
    return render(request, "ladders/person_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_import(request: HttpRequest) -> HttpResponse:
    _require(is_hr(request.user))
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.CAREERFRAME_MAX_IMPORT_BYTES:
            form.add_error(
                "file",
                _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
                % {
                    "size": f"{upload.size:,}",
                    "limit": f"{settings.CAREERFRAME_MAX_IMPORT_BYTES:,}",
                },
            )
        else:
            try:
                result = services.people_import(
                    rows=parse_people_csv(upload.read()), user=request.user
                )
            except ImportFailed as failed:
                problems = [e.render(upload.name) for e in failed.errors]
            else:
                messages.success(
                    request,
                    _("Imported: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.")
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect("ladders:person-list")
    return render(request, "ladders/person_import.html", {"form": form, "problems": problems})


@login_required
@require_safe
def person_distribution(request: HttpRequest) -> HttpResponse:
    _require(access.can_list_people(request.user))
    people, lead = _lead_filter(request, access.visible_people(request.user))
    tables = selectors.distribution(people)
    chart = [
        {
            "framework": t.framework_name,
            "levels": [name for _key, name, _track in t.levels],
            "series": [{"role": role, "counts": counts} for role, counts, _total in t.rows],
        }
        for t in tables
    ]
    return render(
        request,
        "ladders/person_distribution.html",
        {
            "tables": tables,
            "chart": chart,
            "lead": lead,
            "leads": selectors.leads(),
            "hr": is_hr(request.user),
            "pay_tables": (
                pay_positions(people, today=timezone.localdate()) if is_hr(request.user) else []
            ),
        },
    )
