"""Pay pages (HR only; anybody else gets 404, anonymous visitors the login page): a
framework's pay bands and their settings, a position's band history, a person's salary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ladders.models import Person
from ladders.pay import selectors, services
from ladders.pay.forms import PayBandForm, PaySettingsForm, SalaryForm
from ladders.people.access import get_person_or_404
from roles.access import User, get_published_version_or_404, is_hr
from roles.models import FrameworkVersion, Position, SubRole


def _hr_version(user: User, slug: str) -> FrameworkVersion:
    """The current version of a framework, for HR; 404 for anybody else."""
    if not is_hr(user):
        raise Http404("No such page.")
    return get_published_version_or_404(user, slug)


def _settings_form(version: FrameworkVersion) -> PaySettingsForm:
    settings = selectors.pay_settings(version.framework)
    form = PaySettingsForm(
        initial={"enabled": settings.enabled, "visible_to_people": settings.visible_to_people}
    )
    form.helper.form_action = reverse(
        "ladders:pay-settings-edit", kwargs={"slug": version.framework.slug}
    )
    return form


@login_required
@require_safe
def pay_band_list(request: HttpRequest, slug: str) -> HttpResponse:
    version = _hr_version(request.user, slug)
    today = timezone.localdate()
    context = {
        "framework": version.framework,
        "version": version,
        "overview": selectors.band_overview(version, today=today),
        "settings": selectors.pay_settings(version.framework),
        "settings_form": _settings_form(version),
        "today": today,
    }
    return render(request, "ladders/pay_band_list.html", context)


@login_required
@require_POST
def pay_settings_edit(request: HttpRequest, slug: str) -> HttpResponse:
    version = _hr_version(request.user, slug)
    form = PaySettingsForm(request.POST)
    if form.is_valid():
        services.pay_settings_save(
            user=request.user, framework=version.framework, **form.cleaned_data
        )
        messages.success(request, _("Pay settings saved."))
    return redirect("ladders:pay-band-list", slug=slug)


def _band_initial(request: HttpRequest, version: FrameworkVersion) -> dict:
    """``?position=&sub_role=&region=`` picks the band to edit: the form starts from the
    band in force (editing adds a new row from the chosen date)."""
    initial = {key: request.GET.get(key, "") for key in ("position", "sub_role", "region")}
    position = Position.objects.filter(version=version, key=initial["position"]).first()
    if position is None:
        return initial
    bands = selectors.bands_in_force(
        version.framework.pay_bands.filter(
            role_key=position.role.key,
            level_key=position.level.key,
            sub_role_key=initial["sub_role"],
            effective_on__lte=timezone.localdate(),
        ),
        today=timezone.localdate(),
    )
    current = next((b for b in bands if b.region.casefold() == initial["region"].casefold()), None)
    if current is not None:
        initial.update(
            region=current.region,
            currency=current.currency,
            minimum=current.minimum,
            midpoint=current.midpoint,
            maximum=current.maximum,
        )
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pay_band_create(request: HttpRequest, slug: str) -> HttpResponse:
    version = _hr_version(request.user, slug)
    positions = list(
        Position.objects.filter(version=version)
        .select_related("role", "level")
        .order_by("role__order", "level__rank", "order")
    )
    sub_roles = list(
        SubRole.objects.filter(version=version)
        .select_related("role")
        .order_by("role__order", "order")
    )
    form = PayBandForm(
        request.POST or None,
        initial=_band_initial(request, version),
        positions=positions,
        sub_roles=sub_roles,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            band = services.pay_band_add(
                user=request.user,
                framework=version.framework,
                position=data["position_obj"],
                sub_role=data["sub_role_obj"],
                region=data["region"],
                currency=data["currency"],
                minimum=data["minimum"],
                midpoint=data["midpoint"],
                maximum=data["maximum"],
                effective_on=data["effective_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Pay band added."))
            return redirect(
                "ladders:pay-band-history", slug=slug, role=band.role_key, level=band.level_key
            )
    context = {"framework": version.framework, "version": version, "form": form}
    return render(request, "ladders/pay_band_form.html", context)


@login_required
@require_safe
def pay_band_history(request: HttpRequest, slug: str, role: str, level: str) -> HttpResponse:
    version = _hr_version(request.user, slug)
    position = selectors.position_by_keys(version, role, level)
    context = {
        "framework": version.framework,
        "version": version,
        "position": position,
        "rows": selectors.band_history(version.framework, role, level, today=timezone.localdate()),
        "sub_roles": dict(
            SubRole.objects.filter(role_id=position.role_id).values_list("key", "name")
        ),
    }
    return render(request, "ladders/pay_band_history.html", context)


# --- a person's salary --------------------------------------------------------------------------


def salary_form_for(person: Person, pay: selectors.PersonPay, data=None) -> SalaryForm:
    latest = pay.history[0] if pay.history else None
    initial = {
        "currency": latest.currency if latest else (pay.band.currency if pay.band else ""),
        "region": latest.region if latest else "",
    }
    form = SalaryForm(data, initial=initial)
    form.helper.form_action = reverse("ladders:salary-create", kwargs={"pk": person.pk})
    return form


def person_pay_context(user: User, person: Person) -> dict:
    """The person page's pay section: HR only, nothing (not even the keys) for others."""
    if not is_hr(user):
        return {}
    pay = selectors.person_pay(person, today=timezone.localdate())
    return {"pay": pay, "salary_form": salary_form_for(person, pay)}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def salary_create(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_hr(request.user):
        raise Http404("No such page.")
    person = get_person_or_404(request.user, pk)
    pay = selectors.person_pay(person, today=timezone.localdate())
    form = salary_form_for(person, pay, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.salary_record(user=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Salary recorded for %(name)s.") % {"name": person.name})
            return redirect(reverse("ladders:person-detail", kwargs={"pk": person.pk}) + "#pay")
    return render(request, "ladders/salary_form.html", {"person": person, "form": form})
