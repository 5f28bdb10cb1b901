"""sso.services: identity matching, profile updates and group mappings, without a provider."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from roles.access import HR_GROUP, LEADS_GROUP
from sso.models import Grant, Identity, TargetKind
from sso.services import Target, claim_values, grants_apply, identity_login
from tests.factories import FrameworkFactory, UserFactory
from tests.reviews.factories import StakeholderGroupFactory
from tests.sso.factories import GroupMappingFactory, IdentityFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
ISSUER = "https://id.example.com"


def _login(**claims):
    return identity_login(issuer=ISSUER, claims=claims, groups_claim="groups")


def _groups(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


# identity_login ---------------------------------------------------------------------------


def test_first_login_creates_a_user_without_a_password():
    user = _login(sub="s1", preferred_username="ada", email="ada@example.com", name="Ada L")

    assert (user.username, user.email, user.first_name, user.last_name) == (
        "ada",
        "ada@example.com",
        "Ada",
        "L",
    )
    assert not user.has_usable_password()
    assert Identity.objects.get(issuer=ISSUER, subject="s1").user == user


def test_username_falls_back_to_the_email_and_is_made_unique_in_any_case():
    UserFactory(username="Bo@Example.com")

    user = _login(sub="s1", email="bo@example.com")

    assert user.username == "bo@example.com-2"


def test_username_drops_characters_django_refuses():
    assert _login(sub="s1", preferred_username="Zoë de Vries!").username == "ZoëdeVries"
    assert _login(sub="s2").username == "user"


def test_the_same_subject_is_the_same_user_and_another_issuer_is_another():
    first = _login(sub="s1", email="a@example.com")

    assert _login(sub="s1", email="a@example.com").pk == first.pk
    other = identity_login(
        issuer="https://other.example.com", claims={"sub": "s1"}, groups_claim="groups"
    )
    assert other.pk != first.pk


def test_users_are_never_matched_by_email():
    local = UserFactory(email="same@example.com")

    user = _login(sub="s1", email="same@example.com")

    assert user.pk != local.pk


def test_name_and_email_follow_the_claims_and_absent_claims_change_nothing():
    user = _login(sub="s1", email="a@example.com", given_name="Ann", family_name="Lee")
    _login(sub="s1", email="b@example.com", name="Ann Marie Lee")
    user.refresh_from_db()
    assert (user.email, user.first_name, user.last_name) == ("b@example.com", "Ann", "Marie Lee")

    _login(sub="s1")
    user.refresh_from_db()
    assert (user.email, user.first_name, user.last_name) == ("b@example.com", "Ann", "Marie Lee")


def test_a_missing_subject_is_refused():
    with pytest.raises(ValidationError):
        _login(email="a@example.com")
    assert not User.objects.exists()


def test_an_inactive_user_is_left_untouched():
    identity = IdentityFactory(user__is_active=False, user__email="old@example.com", issuer=ISSUER)
    GroupMappingFactory(claim_value="design-hr")

    user = _login(sub=identity.subject, email="new@example.com", groups=["design-hr"])

    user.refresh_from_db()
    assert user.email == "old@example.com"
    assert _groups(user) == set()


def test_each_login_records_when_it_happened():
    _login(sub="s1")
    identity = Identity.objects.get(subject="s1")
    assert identity.last_login_at is not None


# claim_values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"groups": ["a", "b"]}, {"a", "b"}),
        ({"groups": "a"}, {"a"}),
        ({"groups": ["a", 3, None, {"x": 1}]}, {"a"}),
        ({"groups": None}, set()),
        ({"groups": {"a": True}}, set()),
        ({}, set()),
    ],
)
def test_claim_values_accepts_a_list_or_one_string(claims, expected):
    assert claim_values(claims, "groups") == expected


# grants_apply ------------------------------------------------------------------------------


def test_grants_what_the_claims_map_to_and_records_it():
    framework = FrameworkFactory()
    GroupMappingFactory(claim_value="hr", target=TargetKind.HR)
    GroupMappingFactory(claim_value="leads", target=TargetKind.LEADS)
    GroupMappingFactory(claim_value="ed", target=TargetKind.FRAMEWORK_EDITOR, framework=framework)
    GroupMappingFactory(claim_value="other", target=TargetKind.HR)
    user = UserFactory()

    changes = grants_apply(user=user, claim_values=["hr", "leads", "ed", "unmapped"])

    assert _groups(user) == {HR_GROUP, LEADS_GROUP}
    assert list(framework.editors.all()) == [user]
    assert sorted(changes.granted) == sorted(
        [
            Target(TargetKind.HR),
            Target(TargetKind.LEADS),
            Target(TargetKind.FRAMEWORK_EDITOR, framework.pk),
        ]
    )
    assert Grant.objects.filter(user=user).count() == 3


def test_two_values_mapping_to_one_target_grant_it_once():
    GroupMappingFactory(claim_value="hr-a", target=TargetKind.HR)
    GroupMappingFactory(claim_value="hr-b", target=TargetKind.HR)
    user = UserFactory()

    changes = grants_apply(user=user, claim_values=["hr-a", "hr-b"])

    assert changes.granted == [Target(TargetKind.HR)]
    assert Grant.objects.filter(user=user).count() == 1


def test_revokes_what_sso_granted_when_the_claims_no_longer_map_to_it():
    framework = FrameworkFactory()
    GroupMappingFactory(claim_value="hr", target=TargetKind.HR)
    GroupMappingFactory(claim_value="ed", target=TargetKind.FRAMEWORK_EDITOR, framework=framework)
    user = UserFactory()
    grants_apply(user=user, claim_values=["hr", "ed"])

    changes = grants_apply(user=user, claim_values=[])

    assert _groups(user) == set()
    assert not framework.editors.exists()
    assert len(changes.revoked) == 2
    assert not Grant.objects.exists()


def test_a_deleted_mapping_is_revoked_at_the_next_login():
    mapping = GroupMappingFactory(claim_value="hr", target=TargetKind.HR)
    user = UserFactory()
    grants_apply(user=user, claim_values=["hr"])
    mapping.delete()

    grants_apply(user=user, claim_values=["hr"])

    assert _groups(user) == set()


def test_memberships_given_by_hand_are_never_revoked():
    framework = FrameworkFactory()
    GroupMappingFactory(claim_value="hr", target=TargetKind.HR)
    GroupMappingFactory(claim_value="ed", target=TargetKind.FRAMEWORK_EDITOR, framework=framework)
    user = UserFactory(groups=[HR_GROUP, LEADS_GROUP])
    framework.editors.add(user)

    first = grants_apply(user=user, claim_values=["hr", "ed"])
    second = grants_apply(user=user, claim_values=[])

    assert first.granted == [] and second.revoked == []
    assert _groups(user) == {HR_GROUP, LEADS_GROUP}
    assert list(framework.editors.all()) == [user]
    assert not Grant.objects.exists()


def test_a_grant_removed_by_hand_comes_back_while_the_claims_still_map_to_it():
    GroupMappingFactory(claim_value="hr", target=TargetKind.HR)
    user = UserFactory()
    grants_apply(user=user, claim_values=["hr"])
    user.groups.remove(Group.objects.get(name=HR_GROUP))

    changes = grants_apply(user=user, claim_values=["hr"])

    assert changes.granted == [Target(TargetKind.HR)]
    assert _groups(user) == {HR_GROUP}
    assert Grant.objects.filter(user=user).count() == 1


def test_other_users_memberships_are_not_touched():
    GroupMappingFactory(claim_value="hr", target=TargetKind.HR)
    colleague = UserFactory(groups=[HR_GROUP])
    user = UserFactory()
    grants_apply(user=user, claim_values=["hr"])

    grants_apply(user=user, claim_values=[])

    assert _groups(colleague) == {HR_GROUP}


def test_stakeholder_group_membership_is_granted_recorded_and_revoked():
    design, hr = StakeholderGroupFactory(), StakeholderGroupFactory()
    GroupMappingFactory(claim_value="design-leads", stakeholder=True, stakeholder_group=design)
    GroupMappingFactory(claim_value="design-hr", stakeholder=True, stakeholder_group=hr)
    user = UserFactory()

    granted = grants_apply(user=user, claim_values=["design-leads", "design-hr"])

    assert set(user.stakeholder_groups.all()) == {design, hr}
    assert sorted(granted.granted) == sorted(
        [
            Target(TargetKind.STAKEHOLDER_GROUP, stakeholder_group_id=design.pk),
            Target(TargetKind.STAKEHOLDER_GROUP, stakeholder_group_id=hr.pk),
        ]
    )
    assert set(
        Grant.objects.filter(user=user).values_list("target", "stakeholder_group", "framework")
    ) == {
        (TargetKind.STAKEHOLDER_GROUP, design.pk, None),
        (TargetKind.STAKEHOLDER_GROUP, hr.pk, None),
    }

    revoked = grants_apply(user=user, claim_values=["design-hr"])

    assert list(user.stakeholder_groups.all()) == [hr]
    assert revoked.revoked == [Target(TargetKind.STAKEHOLDER_GROUP, stakeholder_group_id=design.pk)]
    assert Grant.objects.filter(user=user).count() == 1


def test_stakeholder_group_membership_given_by_hand_is_never_revoked():
    group = StakeholderGroupFactory()
    GroupMappingFactory(claim_value="design-leads", stakeholder=True, stakeholder_group=group)
    user, colleague = UserFactory(), UserFactory()
    group.members.add(user, colleague)

    first = grants_apply(user=user, claim_values=["design-leads"])
    second = grants_apply(user=user, claim_values=[])

    assert first.granted == [] and second.revoked == []
    assert set(group.members.all()) == {user, colleague}
    assert not Grant.objects.exists()


def test_a_stakeholder_group_membership_removed_by_hand_comes_back_while_mapped():
    group = StakeholderGroupFactory()
    GroupMappingFactory(claim_value="design-leads", stakeholder=True, stakeholder_group=group)
    colleague = UserFactory()
    group.members.add(colleague)
    user = UserFactory()
    grants_apply(user=user, claim_values=["design-leads"])
    group.members.remove(user)

    changes = grants_apply(user=user, claim_values=["design-leads"])

    assert changes.granted == [Target(TargetKind.STAKEHOLDER_GROUP, stakeholder_group_id=group.pk)]
    assert set(group.members.all()) == {user, colleague}

    grants_apply(user=user, claim_values=[])

    assert list(group.members.all()) == [colleague]  # only what single sign-on granted


def test_claim_values_match_exactly():
    GroupMappingFactory(claim_value="design-hr", target=TargetKind.HR)
    user = UserFactory()

    grants_apply(user=user, claim_values=["Design-HR", "design-hr "])

    assert _groups(user) == set()
