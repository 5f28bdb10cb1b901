"""Pages in the language and time zone a logged-in person chose on their settings page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from accounts.locale import chosen_language, timezone_for


class UserLocaleMiddleware:
    """Goes after AuthenticationMiddleware (and Django's LocaleMiddleware, whose choice from
    the language cookie or the browser's Accept-Language stands when the user picked none).

    At most one query for a logged-in user (their profile, then cached on the user for the
    rest of the request); none for anonymous visitors. The time zone is set on every request,
    so one visitor's zone never leaks into the next request served by the same thread. The
    language stays active while the response goes back through LocaleMiddleware, which sets
    ``Content-Language`` from it and adds ``Accept-Language`` to ``Vary``; the page also
    depends on who is logged in and on the language cookie, hence ``Vary: Cookie``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        language = chosen_language(user)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        timezone.activate(timezone_for(user))
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        return response
