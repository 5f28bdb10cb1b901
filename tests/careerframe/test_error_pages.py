"""Error pages and CSRF: what a visitor sees when something is missing or breaks.

With DEBUG off, a missing page is the app's own 404 page and a crash is a plain 500 page:
neither shows the request, the user, settings or a traceback. Every view that accepts a
POST is CSRF-protected (the API is read-only), and htmx requests carry the token.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import get_resolver, path

from tests.factories import UserFactory
from tests.urlconf import url_routes


def _boom(request):
    raise RuntimeError("secret-detail-in-exception")


urlpatterns = [path("boom/", _boom), *get_resolver("careerframe.urls").url_patterns]


@pytest.fixture
def member(db):
    return UserFactory(username="private-person", email="private@example.com")


def test_the_404_page_says_what_happened_and_leaks_nothing(client, member, settings):
    settings.DEBUG = False
    client.force_login(member)
    response = client.get("/frameworks/no-such-framework/?token=secret-token")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "secret-token" not in html and "private@example.com" not in html
    assert "Traceback" not in html and "SECRET_KEY" not in html


@pytest.mark.urls(__name__)
def test_a_crash_is_a_plain_500_page_without_details(member, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(member)
    response = client.get("/boom/?q=secret-query")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    for private in ("secret-detail-in-exception", "secret-query", "private", "Traceback"):
        assert private not in html


def test_no_view_is_exempt_from_csrf_except_the_read_only_api():
    exempt = [r.name for r in url_routes() if getattr(r.view, "csrf_exempt", False)]
    assert exempt, "the walk found no DRF views: is the API still mounted?"
    assert all(name.startswith("api:") for name in exempt), exempt


def test_the_read_only_api_refuses_writes(client, db):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/frameworks/")
        assert response.status_code == 405


def test_a_post_without_the_token_is_refused(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post("/notifications/read/")
    assert response.status_code == 403


def test_htmx_requests_carry_the_csrf_token(client, member):
    client.force_login(member)
    html = client.get("/").content.decode()
    (headers,) = re.findall(r"hx-headers='([^']*)'", html)
    assert "X-CSRFToken" in headers and len(headers) > 40
