"""The login page, the SSO URLs with SSO off, and LOCAL_LOGIN=false (no provider needed)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from tests.conftest import ACTORS
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SSO_URLS = ["sso:login-start", "sso:login-callback"]


@pytest.fixture
def sso_on(settings):
    # Nothing is fetched from the issuer until someone presses the button.
    settings.OIDC_ISSUER = "https://id.example.com/realms/design"
    settings.OIDC_RP_CLIENT_ID = "careerframe"
    settings.OIDC_BUTTON_LABEL = "Log in with Example ID"


@pytest.fixture
def sso_off(settings):
    settings.OIDC_ISSUER = ""


@pytest.fixture
def local_login_off(settings, sso_on):
    settings.LOCAL_LOGIN = False


def _as(client, make_actor, actor: str):
    user = make_actor(actor)
    if not isinstance(user, AnonymousUser):
        client.force_login(user)
    return user


@pytest.mark.parametrize("actor", ACTORS)
def test_login_page_shows_the_sso_button_and_the_password_form_to_everyone(
    client, make_actor, sso_on, actor
):
    _as(client, make_actor, actor)

    response = client.get(reverse("login"), {"next": "/people/"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Log in with Example ID" in html
    assert f'href="{reverse("sso:login-start")}?next=%2Fpeople%2F"' in html
    assert 'name="password"' in html


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", SSO_URLS)
def test_sso_off_the_sso_urls_answer_404(client, make_actor, sso_off, actor, name):
    _as(client, make_actor, actor)

    assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse(name)).status_code == 404


def test_sso_off_the_login_page_has_no_button(client, sso_off):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("sso:login-start") not in html
    assert "single sign-on" not in html
    assert 'name="password"' in html


def test_the_button_label_defaults_to_a_plain_one(client, settings):
    settings.OIDC_ISSUER = "https://id.example.com"  # OIDC_BUTTON_LABEL left as the default

    assert "Log in with single sign-on" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("name", SSO_URLS)
def test_sso_urls_take_only_get(client, sso_on, name):
    assert client.post(reverse(name)).status_code == 405


def test_password_login_works_while_local_login_is_on(client, sso_on):
    user = UserFactory()

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_local_login_off_shows_no_password_form(client, local_login_off):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="password"' not in html
    assert 'name="username"' not in html
    assert "Log in with Example ID" in html


def test_local_login_off_refuses_a_posted_password(client, local_login_off):
    user = UserFactory()

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 403
    assert "Password login is switched off" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_local_login_off_sends_the_admin_login_to_our_login_page(client, local_login_off):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain == [
        (f"{reverse('admin:login')}?next=/admin/", 302),
        (f"{reverse('login')}?next=%2Fadmin%2F", 302),
    ]
    assert 'name="password"' not in response.content.decode()


def test_local_login_off_refuses_a_password_posted_to_the_admin(client, local_login_off):
    admin = UserFactory(is_staff=True, is_superuser=True)

    response = client.post(
        reverse("admin:login"), {"username": admin.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_local_login_off_a_logged_in_admin_still_reaches_the_admin(client, local_login_off):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_local_login_on_the_admin_login_is_the_admins(client, sso_on):
    admin = UserFactory(is_staff=True, is_superuser=True)

    assert client.get(reverse("admin:login")).status_code == 200
    response = client.post(
        reverse("admin:login"), {"username": admin.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)
