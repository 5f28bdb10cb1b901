"""The discovery document: parsed strictly, fetched with a timeout, cached, failures reported."""

from __future__ import annotations

import json

import pytest
import requests

from sso import discovery
from sso.discovery import ProviderUnavailable, parse_discovery, provider_configuration

ISSUER = "https://id.example.com/realms/design"
DOCUMENT = {
    "issuer": ISSUER,
    "authorization_endpoint": f"{ISSUER}/auth",
    "token_endpoint": f"{ISSUER}/token",
    "userinfo_endpoint": f"{ISSUER}/userinfo",
    "jwks_uri": f"{ISSUER}/certs",
    "id_token_signing_alg_values_supported": ["PS256", "RS256"],
}


def test_parse_reads_the_endpoints():
    configuration = parse_discovery(ISSUER, DOCUMENT)

    assert configuration.authorization_endpoint == f"{ISSUER}/auth"
    assert configuration.token_endpoint == f"{ISSUER}/token"
    assert configuration.userinfo_endpoint == f"{ISSUER}/userinfo"
    assert configuration.jwks_uri == f"{ISSUER}/certs"
    assert configuration.signing_algorithm == "RS256"


def test_parse_tolerates_a_trailing_slash_on_either_side():
    assert parse_discovery(ISSUER + "/", DOCUMENT).issuer == ISSUER
    assert parse_discovery(ISSUER, {**DOCUMENT, "issuer": ISSUER + "/"}).issuer == ISSUER + "/"


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([], "not a JSON object"),
        ({**DOCUMENT, "issuer": "https://evil.example.com"}, "names issuer"),
        ({k: v for k, v in DOCUMENT.items() if k != "issuer"}, "names issuer"),
        ({**DOCUMENT, "token_endpoint": ""}, "no token_endpoint"),
        ({k: v for k, v in DOCUMENT.items() if k != "jwks_uri"}, "no jwks_uri"),
        ({**DOCUMENT, "id_token_signing_alg_values_supported": ["none"]}, "signing algorithm"),
    ],
)
def test_parse_refuses_an_unusable_document(document, problem):
    with pytest.raises(ProviderUnavailable, match=problem):
        parse_discovery(ISSUER, document)


def test_parse_without_a_userinfo_endpoint_and_with_another_algorithm():
    document = {k: v for k, v in DOCUMENT.items() if k != "userinfo_endpoint"}
    document["id_token_signing_alg_values_supported"] = ["ES256"]

    configuration = parse_discovery(ISSUER, document)

    assert configuration.userinfo_endpoint == ""
    assert configuration.signing_algorithm == "ES256"


def test_fetched_once_then_cached(provider):
    first = provider_configuration()
    provider.stop()

    assert provider_configuration() == first
    assert first.issuer == provider.issuer
    assert first.token_endpoint.startswith(provider.issuer)


def test_a_failure_is_reported_and_not_cached(unreachable_issuer, monkeypatch):
    with pytest.raises(ProviderUnavailable):
        provider_configuration()

    calls = []

    def fake_get(url, **kwargs):
        calls.append((url, kwargs))
        return _response(200, DOCUMENT | {"issuer": unreachable_issuer})

    monkeypatch.setattr(discovery.requests, "get", fake_get)
    assert provider_configuration().issuer == unreachable_issuer
    assert calls == [(f"{unreachable_issuer}/.well-known/openid-configuration", {"timeout": 10})]


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(lambda: _response(200, b"<html>Sign in</html>"), id="not-json"),
        pytest.param(lambda: _response(503, b"down"), id="server-error"),
    ],
)
def test_a_bad_answer_is_reported(settings, monkeypatch, response):
    settings.OIDC_ISSUER = ISSUER
    discovery.forget_provider_configuration()
    monkeypatch.setattr(discovery.requests, "get", lambda url, **kwargs: response())

    with pytest.raises(ProviderUnavailable):
        provider_configuration()


def _response(status: int, content) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = content if isinstance(content, bytes) else json.dumps(content).encode()
    return response
