"""The provider's endpoints, from its discovery document (OpenID Connect Discovery 1.0).

Fetched on first use rather than at start-up, so that a provider that is down never stops
careerframe from starting, and cached for an hour per issuer. A failure is not cached: the
next login tries again.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60 * 60
_REQUIRED = ("authorization_endpoint", "token_endpoint", "jwks_uri")


class ProviderUnavailable(Exception):
    """The provider could not be reached, or answered something unusable."""


@dataclass(frozen=True)
class ProviderConfiguration:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str  # "" when the provider has none: claims then come from the ID token
    signing_algorithm: str


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def same_issuer(a: str, b: str) -> bool:
    """Issuers compare exactly, except for a trailing slash people add or leave off."""
    return a.rstrip("/") == b.rstrip("/")


def parse_discovery(issuer: str, document: Any) -> ProviderConfiguration:
    """The endpoints from a discovery ``document``; ``ProviderUnavailable`` if it is unusable."""
    if not isinstance(document, dict):
        raise ProviderUnavailable("The discovery document is not a JSON object.")
    if not isinstance(document.get("issuer"), str) or not same_issuer(document["issuer"], issuer):
        raise ProviderUnavailable(
            f"The discovery document names issuer {document.get('issuer')!r}, not {issuer!r}."
        )
    for name in _REQUIRED:
        if not isinstance(document.get(name), str) or not document[name]:
            raise ProviderUnavailable(f"The discovery document has no {name}.")
    userinfo = document.get("userinfo_endpoint")
    return ProviderConfiguration(
        issuer=document["issuer"],
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        jwks_uri=document["jwks_uri"],
        userinfo_endpoint=userinfo if isinstance(userinfo, str) else "",
        signing_algorithm=_signing_algorithm(document.get("id_token_signing_alg_values_supported")),
    )


def _signing_algorithm(supported: Any) -> str:
    # RS256 is the one every provider must support (OpenID Connect Core 15.1); a provider
    # listing only others gets its first one that mozilla-django-oidc verifies.
    if not isinstance(supported, list) or not supported or "RS256" in supported:
        return "RS256"
    for algorithm in supported:
        if isinstance(algorithm, str) and algorithm.startswith(("RS", "ES", "HS")):
            return algorithm
    raise ProviderUnavailable(f"No usable ID token signing algorithm among {supported!r}.")


def _cache_key(issuer: str) -> str:
    return "sso:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()


def provider_configuration() -> ProviderConfiguration:
    """The configured issuer's endpoints: from the cache, or fetched (``OIDC_TIMEOUT``)."""
    issuer = settings.OIDC_ISSUER
    cached = cache.get(_cache_key(issuer))
    if cached is not None:
        return ProviderConfiguration(**cached)
    try:
        response = requests.get(discovery_url(issuer), timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        logger.warning("OpenID discovery at %s failed: %s", discovery_url(issuer), error)
        raise ProviderUnavailable(str(error)) from error
    try:
        configuration = parse_discovery(issuer, document)
    except ProviderUnavailable as error:
        logger.warning("OpenID discovery at %s: %s", discovery_url(issuer), error)
        raise
    cache.set(_cache_key(issuer), asdict(configuration), CACHE_SECONDS)
    return configuration


def forget_provider_configuration() -> None:
    """Drop the cached endpoints of the configured issuer (the tests start a fresh one)."""
    cache.delete(_cache_key(settings.OIDC_ISSUER))
