"""Whole logins through a real OpenID provider: browser (test client) → provider → callback."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from roles.access import HR_GROUP, LEADS_GROUP, is_editor, is_hr, is_lead
from sso.models import Grant, Identity, TargetKind
from sso.views import FAILED, UNAVAILABLE
from tests.factories import FrameworkFactory, UserFactory
from tests.reviews.factories import StakeholderGroupFactory
from tests.sso.conftest import sso_login
from tests.sso.factories import GroupMappingFactory, IdentityFactory

pytestmark = [
    pytest.mark.django_db,
    # The provider's authlib calls an API authlib has deprecated.
    pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning"),
]
User = get_user_model()


def _user(subject: str):
    return User.objects.get(sso_identities__subject=subject)


def _logged_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


@pytest.fixture
def hr_mapping():
    return GroupMappingFactory(claim_value="design-hr", target=TargetKind.HR)


def test_first_login_creates_the_user_maps_hr_and_opens_an_hr_only_page(
    client, provider, hr_mapping
):
    import_page = reverse("ladders:person-import")
    assert client.get(import_page).status_code == 302  # anonymous: sent to log in
    provider.set_user(
        "ada-123",
        email="ada@example.com",
        name="Ada Lovelace",
        preferred_username="ada",
        groups=["design-hr", "not-mapped"],
    )

    response = sso_login(client, provider, "ada-123", next_url=import_page)

    assert response.status_code == 302
    assert response["Location"] == import_page
    user = _user("ada-123")
    assert _logged_in_user_id(client) == user.pk
    assert (user.username, user.email) == ("ada", "ada@example.com")
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    assert not user.has_usable_password()
    assert Identity.objects.get(user=user).issuer == provider.issuer
    assert is_hr(user)
    assert Grant.objects.filter(user=user, target=TargetKind.HR).exists()
    assert client.get(import_page).status_code == 200


def test_a_later_login_revokes_what_sso_granted_and_keeps_memberships_given_by_hand(
    client, provider, hr_mapping
):
    framework = FrameworkFactory()
    GroupMappingFactory(claim_value="design-leads", target=TargetKind.LEADS)
    GroupMappingFactory(
        claim_value="design-editors", target=TargetKind.FRAMEWORK_EDITOR, framework=framework
    )
    provider.set_user("bo", email="bo@example.com", groups=["design-hr"])
    sso_login(client, provider, "bo")
    user = _user("bo")
    assert is_hr(user)
    # An administrator makes them a lead and an editor by hand.
    user.groups.add(Group.objects.get_or_create(name=LEADS_GROUP)[0])
    framework.editors.add(user)

    client.logout()
    provider.set_user("bo", email="bo@example.com", groups=["design-leads", "design-editors"])
    sso_login(client, provider, "bo")
    user = _user("bo")
    assert not is_hr(user)
    assert is_lead(user) and is_editor(user, framework)
    assert client.get(reverse("ladders:person-import")).status_code == 404

    client.logout()
    provider.set_user("bo", email="bo@example.com", groups=[])
    sso_login(client, provider, "bo")
    user = _user("bo")
    assert is_lead(user) and is_editor(user, framework)  # given by hand: never taken back
    assert not Grant.objects.filter(user=user).exists()


def test_a_claim_mapped_to_a_stakeholder_group_makes_a_member_until_it_goes_away(client, provider):
    design_leads = StakeholderGroupFactory(name="Design leads")
    GroupMappingFactory(
        claim_value="design-leads",
        target=TargetKind.STAKEHOLDER_GROUP,
        stakeholder_group=design_leads,
    )
    colleague = UserFactory()
    design_leads.members.add(colleague)  # given by hand
    provider.set_user("kim", email="kim@example.com", groups=["design-leads"])

    sso_login(client, provider, "kim")

    user = _user("kim")
    assert set(design_leads.members.all()) == {user, colleague}
    assert Grant.objects.filter(
        user=user, target=TargetKind.STAKEHOLDER_GROUP, stakeholder_group=design_leads
    ).exists()

    client.logout()
    provider.set_user("kim", email="kim@example.com", groups=["other"])
    sso_login(client, provider, "kim")

    assert list(design_leads.members.all()) == [colleague]
    assert not Grant.objects.filter(user=user).exists()


def test_the_same_subject_logs_in_as_the_same_user_with_name_and_email_updated(client, provider):
    provider.set_user("cy", email="cy@example.com", name="Cy Old", preferred_username="cy")
    sso_login(client, provider, "cy")
    first = _user("cy")
    client.logout()
    provider.set_user("cy", email="cy@new.example.com", name="Cy New", preferred_username="cy2")

    sso_login(client, provider, "cy")

    again = _user("cy")
    assert again.pk == first.pk
    assert _logged_in_user_id(client) == first.pk
    assert User.objects.count() == 1 and Identity.objects.count() == 1
    assert (again.email, again.first_name, again.last_name) == ("cy@new.example.com", "Cy", "New")
    assert again.username == "cy"  # the username stays what it was


def test_an_existing_account_with_the_same_email_is_not_taken_over(client, provider):
    local = UserFactory(username="dee", email="dee@example.com")
    provider.set_user("dee-sso", email="dee@example.com", preferred_username="dee")

    sso_login(client, provider, "dee-sso")

    new = _user("dee-sso")
    assert new.pk != local.pk
    assert new.username == "dee-2"
    assert _logged_in_user_id(client) == new.pk
    assert not Identity.objects.filter(user=local).exists()


def test_an_identity_linked_in_the_admin_logs_in_the_existing_account(client, provider):
    local = UserFactory(username="eve")
    IdentityFactory(user=local, issuer=provider.issuer, subject="eve-at-idp")
    provider.set_user("eve-at-idp", email="eve@example.com")

    sso_login(client, provider, "eve-at-idp")

    assert _logged_in_user_id(client) == local.pk
    assert User.objects.count() == 1


def test_a_deactivated_user_is_not_logged_in(client, provider):
    IdentityFactory(user=UserFactory(is_active=False), issuer=provider.issuer, subject="gone")
    provider.set_user("gone", email="gone@example.com")

    response = sso_login(client, provider, "gone")

    assert response["Location"] == reverse("login")
    assert _logged_in_user_id(client) is None
    assert str(FAILED) in client.get(reverse("login")).content.decode()


def test_refusing_at_the_provider_returns_to_the_login_page_with_a_message(client, provider):
    start = client.get(reverse("sso:login-start"))
    denied = provider.http.post(start["Location"], data={"action": "deny"})
    back = urlsplit(denied.headers["location"])
    assert "error=access_denied" in back.query

    response = client.get(f"{back.path}?{back.query}", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("login")
    assert str(FAILED) in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_a_callback_with_a_state_this_browser_did_not_start_is_refused(client, provider):
    provider.set_user("fay", email="fay@example.com")
    start = client.get(reverse("sso:login-start"))
    back = urlsplit(provider.authorize(start["Location"], "fay"))
    forged = back.query.replace("state=", "state=x")

    response = client.get(f"{back.path}?{forged}", follow=True)

    assert response.status_code == 200
    assert str(FAILED) in response.content.decode()
    assert _logged_in_user_id(client) is None
    assert not User.objects.exists()


def test_an_unsafe_next_url_is_ignored(client, provider):
    provider.set_user("gil", email="gil@example.com")

    response = sso_login(client, provider, "gil", next_url="https://evil.example.com/")

    assert response.status_code == 302
    assert response["Location"] == reverse("ladders:framework-list")


def test_provider_unreachable_when_starting_gives_a_message_on_the_login_page(
    client, unreachable_issuer
):
    response = client.get(reverse("sso:login-start"), {"next": "/people/"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(f"{reverse('login')}?next=%2Fpeople%2F", 302)]
    assert str(UNAVAILABLE) in response.content.decode()


def test_provider_going_down_during_the_login_gives_a_message_not_an_error(client, provider):
    provider.set_user("hal", email="hal@example.com")
    start = client.get(reverse("sso:login-start"))
    back = urlsplit(provider.authorize(start["Location"], "hal"))
    provider.stop()

    response = client.get(f"{back.path}?{back.query}", follow=True)

    assert response.status_code == 200
    assert str(UNAVAILABLE) in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_hr_group_is_created_when_missing(client, provider, hr_mapping):
    assert not Group.objects.filter(name=HR_GROUP).exists()
    provider.set_user("ivy", email="ivy@example.com", groups="design-hr")  # a single string

    sso_login(client, provider, "ivy")

    assert is_hr(_user("ivy"))
