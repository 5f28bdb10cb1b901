"""The page that opens a review round: the members of the stakeholder groups fill its first
seats, the editor may change or empty them, and membership alone grants no access."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reviews.models import Reviewer, ReviewRound
from reviews.services import policy_set
from tests.factories import UserFactory
from tests.reviews.factories import DELIVERY_LEAD, DESIGN_LEADS, HR, MANAGEMENT


@pytest.fixture
def url(framework) -> str:
    return reverse("reviews:round-create", kwargs={"slug": framework.slug})


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _initial(response) -> list[tuple[int, int]]:
    return [(seat["user"], seat["group"]) for seat in response.context["seats"].initial or []]


def _selected(html: str, name: str) -> str | None:
    """The value of the selected option of the select named ``name``."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    option = re.search(r'<option value="([^"]*)" selected>', select.group(1))
    return option.group(1) if option else None


def _members_list(html: str) -> str:
    """The text of the list of the groups' members under the seats."""
    found = re.search(r'<dl class="small mb-0">(.*?)</dl>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip() if found else ""


def _post_data(response, revision, rows: list[tuple[object, object]]) -> dict:
    """What the browser sends: the management form as rendered, then ``rows``."""
    seats = response.context["seats"]
    data = {
        "revision": revision.pk,
        "due_on": "2099-01-31",
        "seats-TOTAL_FORMS": str(seats.total_form_count()),
        "seats-INITIAL_FORMS": str(seats.initial_form_count()),
    }
    for i, (user, group) in enumerate(rows):
        data[f"seats-{i}-user"] = getattr(user, "pk", user)
        data[f"seats-{i}-group"] = getattr(group, "pk", group)
    return data


def test_the_members_of_each_group_fill_the_first_rows(
    editor_client, url, revision, groups, designer, delivery, people
):
    groups[DESIGN_LEADS].members.add(designer)
    groups[HR].members.add(people, designer)  # designer once only, under their first group
    groups[DELIVERY_LEAD].members.add(delivery)
    groups[MANAGEMENT].members.add(UserFactory(username="gone", is_active=False))

    response = editor_client.get(url)

    assert response.status_code == 200
    assert _initial(response) == [
        (delivery.pk, groups[DELIVERY_LEAD].pk),
        (designer.pk, groups[DESIGN_LEADS].pk),
        (people.pk, groups[HR].pk),
    ]
    html = response.content.decode()
    assert _selected(html, "seats-0-user") == str(delivery.pk)
    assert _selected(html, "seats-0-group") == str(groups[DELIVERY_LEAD].pk)
    assert _selected(html, "seats-2-user") == str(people.pk)
    assert _selected(html, "seats-3-user") is None  # then empty rows to add more
    assert len(response.context["seats"].forms) == 3 + 6
    assert "The first rows hold the members of the stakeholder groups" in html
    assert _members_list(html) == (
        "Delivery lead Del Ivery Design leads Dana Designer HR Dana Designer, Pat People"
    )  # Management's only member is inactive: not offered


def test_with_an_approval_policy_only_the_groups_it_asks_are_filled(
    editor_client, url, framework, editor, revision, groups, designer, people
):
    policy_set(framework=framework, user=editor, rules=[(groups[HR], 1, False)])
    groups[DESIGN_LEADS].members.add(designer)
    groups[HR].members.add(people)

    response = editor_client.get(url)

    assert _initial(response) == [(people.pk, groups[HR].pk)]
    # The other groups' members are still listed, to be added by hand.
    assert _members_list(response.content.decode()) == "Design leads Dana Designer HR Pat People"


def test_without_members_the_rows_start_empty(editor_client, url, revision, groups):
    response = editor_client.get(url)

    assert _initial(response) == []
    assert len(response.context["seats"].forms) == 6
    html = response.content.decode()
    assert "Members of the stakeholder groups" not in html
    assert "The first rows hold" not in html


def test_the_editor_submits_the_filled_rows_changed_and_emptied(
    editor_client, url, framework, revision, groups, designer, delivery, people, manager
):
    groups[DESIGN_LEADS].members.add(designer)
    groups[DELIVERY_LEAD].members.add(delivery)
    groups[HR].members.add(people)
    page = editor_client.get(url)
    assert len(_initial(page)) == 3
    rows = [
        (delivery, groups[DELIVERY_LEAD]),  # kept
        ("", ""),  # designer's row emptied
        (manager, groups[MANAGEMENT]),  # people's row changed to someone else
    ]

    response = editor_client.post(url, _post_data(page, revision, rows))

    assert response.status_code == 302, response.content.decode()[:2000]
    round = ReviewRound.objects.get(framework=framework)
    assert set(Reviewer.objects.filter(round=round).values_list("user", "group")) == {
        (delivery.pk, groups[DELIVERY_LEAD].pk),
        (manager.pk, groups[MANAGEMENT].pk),
    }


def test_an_invalid_post_keeps_what_the_editor_sent(
    editor_client, url, revision, groups, designer, people
):
    groups[DESIGN_LEADS].members.add(designer)
    page = editor_client.get(url)

    response = editor_client.post(
        url, _post_data(page, revision, [(designer, groups[DESIGN_LEADS]), (designer, groups[HR])])
    )

    assert response.status_code == 200
    assert "Each person can hold only one seat in a round." in response.content.decode()
    assert response.context["seats"].initial is None
    assert not ReviewRound.objects.exists()


def test_the_query_count_does_not_grow_with_the_members(
    editor_client, url, revision, groups, django_assert_max_num_queries
):
    groups[HR].members.add(UserFactory())
    with django_assert_max_num_queries(100) as few:
        editor_client.get(url)
    groups[HR].members.add(*UserFactory.create_batch(5))
    groups[DESIGN_LEADS].members.add(*UserFactory.create_batch(5))

    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(url)


def test_membership_alone_gives_no_access_to_the_framework_review(
    client, url, framework, revision, groups, designer
):
    groups[DESIGN_LEADS].members.add(designer)
    client.force_login(designer)

    assert client.get(url).status_code == 404
    rounds = reverse("reviews:round-list", kwargs={"slug": framework.slug})
    assert client.get(rounds).status_code == 404
    revisions = reverse("reviews:revision-list", kwargs={"slug": framework.slug})
    assert client.get(revisions).status_code == 404
