"""sso.backends.IdentityBackend: stays out of password logins, checks the ID token."""

from __future__ import annotations

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from roles.access import is_hr
from sso.backends import IdentityBackend
from sso.discovery import ProviderConfiguration
from sso.models import TargetKind
from tests.factories import PASSWORD, UserFactory
from tests.sso.factories import GroupMappingFactory

pytestmark = pytest.mark.django_db
ISSUER = "https://id.example.com"


@pytest.fixture
def backend(settings, monkeypatch):
    settings.OIDC_RP_CLIENT_ID = "careerframe"
    backend = IdentityBackend()
    backend.provider = ProviderConfiguration(
        issuer=ISSUER,
        authorization_endpoint=f"{ISSUER}/auth",
        token_endpoint=f"{ISSUER}/token",
        jwks_uri=f"{ISSUER}/jwks",
        userinfo_endpoint=f"{ISSUER}/userinfo",
        signing_algorithm="RS256",
    )
    backend.OIDC_RP_CLIENT_ID = "careerframe"
    backend.userinfo = {}
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: backend.userinfo)
    return backend


def _id_token(**claims):
    return {"iss": ISSUER, "aud": "careerframe", "sub": "s1", **claims}


def test_a_password_login_never_reaches_the_provider(unreachable_issuer):
    user = UserFactory()
    request = RequestFactory().post("/login/?code=c&state=s")

    result = IdentityBackend().authenticate(request, username=user.username, password=PASSWORD)

    assert result is None


def test_the_id_token_must_come_from_the_issuer(backend):
    with pytest.raises(SuspiciousOperation, match="another issuer"):
        backend.get_or_create_user("at", "it", _id_token(iss="https://evil.example.com"))


@pytest.mark.parametrize("audience", ["someone-else", ["a", "b"], None])
def test_the_id_token_must_be_meant_for_us(backend, audience):
    with pytest.raises(SuspiciousOperation, match="another client"):
        backend.get_or_create_user("at", "it", _id_token(aud=audience))


def test_userinfo_about_another_subject_is_refused(backend):
    backend.userinfo = {"sub": "someone-else"}

    with pytest.raises(SuspiciousOperation, match="another subject"):
        backend.get_or_create_user("at", "it", _id_token())


def test_groups_from_the_id_token_count_when_userinfo_has_none(backend):
    GroupMappingFactory(claim_value="design-hr", target=TargetKind.HR)
    backend.userinfo = {"sub": "s1", "email": "a@example.com"}

    user = backend.get_or_create_user(
        "at", "it", _id_token(aud=["careerframe", "other"], groups=["design-hr"])
    )

    assert user.email == "a@example.com"
    assert is_hr(user)


def test_a_deactivated_users_session_ends(backend):
    user = UserFactory(is_active=False)

    assert backend.get_user(user.pk) is None
    assert backend.get_user(UserFactory().pk) is not None
