"""A real OpenID provider (oidc-provider-mock) on 127.0.0.1, and a login through it."""

from __future__ import annotations

import socket
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from django.test import Client
from django.urls import reverse
from werkzeug.serving import make_server

from sso.discovery import forget_provider_configuration

with warnings.catch_warnings():  # its authlib.jose import is deprecated, not ours to fix
    import authlib.deprecate  # noqa: F401  (installs an "always" filter, overridden next)

    warnings.simplefilter("ignore")
    import oidc_provider_mock

CLIENT_ID = "careerframe"


@dataclass
class Provider:
    issuer: str
    http: httpx.Client
    stop: Callable[[], None]  # from then on, connections to it are refused

    def set_user(self, subject: str, **claims: Any) -> None:
        """The claims the provider sends for ``subject`` from now on."""
        self.http.put(f"/users/{subject}", json=claims).raise_for_status()

    def authorize(self, authorization_url: str, subject: str) -> str:
        """Logs ``subject`` in at the provider; returns where it sends the browser back."""
        response = self.http.post(authorization_url, data={"sub": subject})
        assert response.status_code == 302, response.text
        return response.headers["location"]


@pytest.fixture
def provider(settings, monkeypatch) -> Iterator[Provider]:
    """oidc-provider-mock on a free port in a thread; SSO settings point at it."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the provider speaks plain HTTP
    app = oidc_provider_mock.app(require_nonce=True, issue_refresh_token=False)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(5)

    issuer = f"http://127.0.0.1:{server.server_port}"
    settings.OIDC_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    forget_provider_configuration()
    try:
        with httpx.Client(base_url=issuer, timeout=5) as http:
            yield Provider(issuer=issuer, http=http, stop=stop)
    finally:
        forget_provider_configuration()
        stop()


@pytest.fixture
def unreachable_issuer(settings) -> str:
    """SSO settings pointing at a port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OIDC_ISSUER = f"http://127.0.0.1:{port}"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    forget_provider_configuration()
    yield settings.OIDC_ISSUER
    forget_provider_configuration()


def sso_login(client: Client, provider: Provider, subject: str, next_url: str = "/"):
    """The whole browser round trip; returns the callback's response."""
    start = client.get(reverse("sso:login-start"), {"next": next_url})
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.issuer}/oauth2/authorize?")
    back = urlsplit(provider.authorize(start["Location"], subject))
    assert back.path == reverse("sso:login-callback")
    return client.get(f"{back.path}?{back.query}")
