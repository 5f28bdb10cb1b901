"""A configuration in which nobody could log in, or SSO could not work, refuses to start."""

from __future__ import annotations

import pytest

from tests.careerframe.test_settings import _manage


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LOCAL_LOGIN": "false", "OIDC_ISSUER": ""}, "LOCAL_LOGIN=false needs OIDC_ISSUER"),
        ({"OIDC_ISSUER": "https://id.example.com", "OIDC_CLIENT_ID": ""}, "set OIDC_CLIENT_ID"),
        (
            {
                "OIDC_ISSUER": "https://id.example.com",
                "OIDC_CLIENT_ID": "cf",
                "OIDC_SCOPES": "email",
            },
            "OIDC_SCOPES must include openid",
        ),
    ],
)
def test_an_unworkable_sso_configuration_refuses_to_start(env, message):
    result = _manage("check", **env)

    assert result.returncode != 0
    assert message in result.stderr


def test_sso_only_configuration_starts():
    result = _manage(
        "check", LOCAL_LOGIN="false", OIDC_ISSUER="https://id.example.com", OIDC_CLIENT_ID="cf"
    )

    assert result.returncode == 0, result.stderr
