"""A person's own settings page."""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm
from accounts.models import Profile


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    profile = Profile.objects.filter(user=request.user).first() or Profile(user=request.user)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile = form.save()
        with translation.override(profile.language or _browser_language(request)):
            messages.success(request, _("Your settings are saved."))
        response = redirect("accounts:settings")
        _remember_language(response, profile.language)
        return response
    return render(request, "accounts/profile_form.html", {"form": form})


def _browser_language(request: HttpRequest) -> str:
    """The language the next page will have once the language cookie is gone."""
    without_cookie = SimpleNamespace(COOKIES={}, META=request.META, path_info=request.path_info)
    return translation.get_language_from_request(without_cookie)


def _remember_language(response: HttpResponse, language: str) -> None:
    """Django's language cookie, as its set_language view sets it, so the choice stays after
    logging out; "same as my browser" removes it."""
    if not language:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
