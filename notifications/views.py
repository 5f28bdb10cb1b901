"""Notification pages: the list, opening one, marking all read, preferences.

All are personal: anonymous visitors are sent to log in, and a notification of somebody
else is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.models import Notification

PAGE_SIZE = 25
LIST_TEMPLATE = "notifications/notification_list.html"


def _list_page(request: HttpRequest, status: int = 200) -> HttpResponse:
    page = Paginator(selectors.notification_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = f"{LIST_TEMPLATE}#notifications" if request.htmx else LIST_TEMPLATE
    response = render(request, template, {"page": page}, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    """Newest first, 25 a page, unread ones highlighted."""
    return _list_page(request)


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read and go where it points (a path on this site, else back to the list)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(notification=notification)
    if services.is_site_path(notification.url):
        return redirect(notification.url)
    return redirect("notifications:notification-list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if request.htmx:
        return _list_page(request)
    messages.success(
        request,
        ngettext(
            "Marked %(count)d notification read.", "Marked %(count)d notifications read.", count
        )
        % {"count": count},
    )
    return redirect("notifications:notification-list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """One immediate / digest / off choice per event type."""
    current = selectors.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, initial=current)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.preferences_save(user=request.user, deliveries=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your notification preferences are saved."))
                return redirect("notifications:preferences")
        return render(request, "notifications/preference_form.html", {"form": form}, status=400)
    return render(request, "notifications/preference_form.html", {"form": form})
