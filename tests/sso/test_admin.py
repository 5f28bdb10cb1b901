"""The admin: group mappings are set there, with the model's validation; grants are read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sso.models import Grant, GroupMapping
from tests.factories import FrameworkFactory, UserFactory
from tests.reviews.factories import StakeholderGroupFactory
from tests.sso.factories import GroupMappingFactory, IdentityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["groupmapping", "identity", "grant"])
def test_changelists_open(staff_client, model, django_assert_max_num_queries):
    mappings = [
        *GroupMappingFactory.create_batch(3, editor=True),
        *GroupMappingFactory.create_batch(3, stakeholder=True),
    ]
    for mapping in mappings:
        Grant.objects.create(
            user=UserFactory(),
            target=mapping.target,
            framework=mapping.framework,
            stakeholder_group=mapping.stakeholder_group,
        )
    IdentityFactory.create_batch(3)

    # Session, user, count, rows with their user/framework/group, and the filters' counts.
    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse(f"admin:sso_{model}_changelist"))

    assert response.status_code == 200


def test_a_mapping_is_added_in_the_admin(staff_client):
    framework = FrameworkFactory()

    response = staff_client.post(
        reverse("admin:sso_groupmapping_add"),
        {"claim_value": "design-editors", "target": "framework_editor", "framework": framework.pk},
    )

    assert response.status_code == 302
    assert GroupMapping.objects.get().framework == framework


def test_a_stakeholder_group_mapping_is_added_in_the_admin(staff_client):
    group = StakeholderGroupFactory(name="Design leads")

    response = staff_client.post(
        reverse("admin:sso_groupmapping_add"),
        {
            "claim_value": "design-leads",
            "target": "stakeholder_group",
            "stakeholder_group": group.pk,
        },
    )

    assert response.status_code == 302
    assert GroupMapping.objects.get().stakeholder_group == group


def test_a_stakeholder_group_mapping_without_its_group_is_refused(staff_client):
    response = staff_client.post(
        reverse("admin:sso_groupmapping_add"),
        {"claim_value": "design-leads", "target": "stakeholder_group", "stakeholder_group": ""},
    )

    assert response.status_code == 200
    assert "Choose the stakeholder group this grants membership of." in response.content.decode()
    assert not GroupMapping.objects.exists()


def test_an_invalid_mapping_is_refused_with_the_reason(staff_client):
    response = staff_client.post(
        reverse("admin:sso_groupmapping_add"),
        {"claim_value": "design-editors", "target": "framework_editor", "framework": ""},
    )

    assert response.status_code == 200
    assert "Choose the framework this grants editing of." in response.content.decode()
    assert not GroupMapping.objects.exists()


def test_grants_cannot_be_added_or_edited(staff_client):
    assert staff_client.get(reverse("admin:sso_grant_add")).status_code == 403


def test_people_without_staff_access_do_not_reach_the_mappings(client):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:sso_groupmapping_changelist"))

    assert response.status_code == 302
