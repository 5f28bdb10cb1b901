"""The authentication backend for OpenID Connect logins (after mozilla-django-oidc's).

Differences from the parent: endpoints come from the discovery document, fetched only when
an SSO login happens (not in ``__init__``, which Django runs for every password login and
every request's ``get_user``); the ID token's issuer and audience are checked; users are
found by (issuer, subject) through ``sso.services.identity_login``, never by email.
"""

from __future__ import annotations

from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.backends import ModelBackend
from sso.discovery import ProviderConfiguration, provider_configuration, same_issuer, sso_enabled
from sso.services import identity_login


class IdentityBackend(OIDCAuthenticationBackend):
    provider: ProviderConfiguration

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        # Only the callback view passes a nonce; password logins reach every backend too.
        if request is None or "nonce" not in kwargs or not sso_enabled():
            return None
        self.provider = provider_configuration()  # ProviderUnavailable: the view reports it
        self.OIDC_OP_TOKEN_ENDPOINT = self.provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = self.provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = self.provider.jwks_uri
        self.OIDC_RP_SIGN_ALGO = self.provider.signing_algorithm
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        return super().authenticate(request, **kwargs)

    def retrieve_matching_jwk(self, token: str) -> Any:
        # A token may leave its key unnamed (no "kid") when the provider has just one key.
        if "kid" in jwt.get_unverified_header(token):
            return super().retrieve_matching_jwk(token)
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        keys = document.get("keys") if isinstance(document, dict) else None
        keys = [k for k in keys or [] if isinstance(k, dict) and k.get("use", "sig") == "sig"]
        if len(keys) != 1:
            raise SuspiciousOperation("The ID token names no key and the provider has several.")
        return jwt.PyJWK(keys[0])

    def get_userinfo(self, access_token: str, id_token: str, payload: dict) -> dict:
        if not self.OIDC_OP_USER_ENDPOINT:
            return {}
        return super().get_userinfo(access_token, id_token, payload)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Any:
        """``payload`` is the verified ID token. SuspiciousOperation refuses the login."""
        if not isinstance(payload.get("iss"), str) or not same_issuer(
            payload["iss"], self.provider.issuer
        ):
            raise SuspiciousOperation("The ID token comes from another issuer.")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else audience or []
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is meant for another client.")
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if "sub" in userinfo and userinfo["sub"] != payload.get("sub"):
            raise SuspiciousOperation("The userinfo response is about another subject.")
        try:
            return identity_login(
                issuer=self.provider.issuer,
                claims={**payload, **userinfo},
                groups_claim=settings.OIDC_GROUPS_CLAIM,
            )
        except ValidationError as error:
            raise SuspiciousOperation(str(error)) from error

    def get_user(self, user_id: Any) -> Any:
        # ModelBackend's: a deactivated user's session ends (the parent's ignores is_active),
        # and the user comes with their profile.
        return ModelBackend.get_user(self, user_id)
