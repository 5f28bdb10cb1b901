"""Stakeholder group members are set in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def test_the_changelist_shows_how_many_members_each_group_has(staff_client, groups, designer):
    groups["HR"].members.add(designer)

    response = staff_client.get(reverse("admin:reviews_stakeholdergroup_changelist"))

    assert response.status_code == 200
    counts = {g.name: g._member_count for g in response.context["cl"].result_list}
    assert counts["HR"] == 1 and counts["Management"] == 0


def test_members_are_edited_in_the_admin(staff_client, groups, designer, people):
    group = groups["Design leads"]
    url = reverse("admin:reviews_stakeholdergroup_change", args=[group.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "selectfilter" in page.content.decode().lower()  # filter_horizontal

    response = staff_client.post(
        url,
        {"name": group.name, "description": "", "members": [designer.pk, people.pk]},
    )

    assert response.status_code == 302
    assert set(group.members.all()) == {designer, people}
