"""The login page, the admin's login, and the two steps of an OpenID Connect login.

With ``OIDC_ISSUER`` empty the SSO URLs answer 404; with ``LOCAL_LOGIN`` off nobody logs in
with a password, here or in the admin. Whatever the provider does, people land back on the
login page with a message, never on an error page.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    get_next_url,
)

from sso.discovery import ProviderUnavailable, provider_configuration, sso_enabled

logger = logging.getLogger(__name__)

UNAVAILABLE = _(
    "The single sign-on service is not available right now. Try again in a few minutes; "
    "if it keeps happening, tell your administrator."
)
FAILED = _(
    "Single sign-on did not log you in. Try again; if it keeps happening, tell your administrator."
)


def _login_url(next_url: str | None) -> str:
    url = reverse("login")
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else url


class LoginView(auth_views.LoginView):
    """Django's login page with the single sign-on button; no password form without
    ``LOCAL_LOGIN``."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.LOCAL_LOGIN:
            context = self.get_context_data(form=None, password_refused=True)
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        sso_url = ""
        if sso_enabled():
            sso_url = reverse("sso:login-start")
            if context.get(REDIRECT_FIELD_NAME):
                sso_url += "?" + urlencode({REDIRECT_FIELD_NAME: context[REDIRECT_FIELD_NAME]})
        context.update(
            local_login=settings.LOCAL_LOGIN, sso_url=sso_url, sso_label=settings.OIDC_BUTTON_LABEL
        )
        return context


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's login page, or ours when password login is off."""
    if settings.LOCAL_LOGIN:
        return admin.site.login(request)
    if request.method == "GET" and admin.site.has_permission(request):
        return HttpResponseRedirect(reverse("admin:index"))
    next_url = get_next_url(request, REDIRECT_FIELD_NAME) or reverse("admin:index")
    return HttpResponseRedirect(_login_url(next_url))


class _SSOView(View):
    http_method_names = ["get"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sso_enabled():
            raise Http404("Single sign-on is off.")
        return super().dispatch(request, *args, **kwargs)


class AuthenticateView(_SSOView, OIDCAuthenticationRequestView):
    """Sends the browser to the provider's authorization endpoint."""

    def __init__(self, **kwargs: Any) -> None:
        # The parent reads the endpoint from settings; it comes from discovery in get().
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            provider = provider_configuration()
        except ProviderUnavailable:
            messages.error(request, UNAVAILABLE)
            return HttpResponseRedirect(_login_url(get_next_url(request, REDIRECT_FIELD_NAME)))
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(_SSOView, OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: exchanges the code, logs the user in."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except (ProviderUnavailable, requests.ConnectionError, requests.Timeout):
            logger.warning("Single sign-on: the provider is unreachable", exc_info=True)
            messages.error(request, UNAVAILABLE)
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError):
            # A refused code exchange (wrong client secret, code used twice), a state this
            # browser never started, an expired ID token: the log says which, the person
            # gets the login page.
            logger.warning("Single sign-on failed", exc_info=True)
            messages.error(request, FAILED)
        return HttpResponseRedirect(reverse("login"))

    @property
    def failure_url(self) -> str:
        return reverse("login")

    def login_failure(self) -> HttpResponse:
        if self.request.GET.get("error"):
            logger.info("Single sign-on: the provider answered %s", self.request.GET["error"])
        messages.error(self.request, FAILED)
        return super().login_failure()
