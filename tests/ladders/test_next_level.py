"""The one rule for "the next level" (ladders.selectors.next_level_step), and the three
places that use it agreeing: the compare page's default, an assessment's default target and
the pay band a person may see next."""

from __future__ import annotations

from operator import attrgetter
from types import SimpleNamespace

import pytest
from django.urls import reverse

from ladders import selectors
from ladders.pay.selectors import next_position
from reviews.assessments.selectors import target_choices
from roles.models import FrameworkVersion
from tests.factories import PersonFactory, PublishedFrameworkFactory, make_tracked_document


def _step(kind: str, track: int, key: str) -> SimpleNamespace:
    return SimpleNamespace(
        kind=kind, to=SimpleNamespace(key=key, level=SimpleNamespace(track_id=track))
    )


def _next(current_track: int | None, steps: list) -> str | None:
    current = SimpleNamespace(level=SimpleNamespace(track_id=current_track))
    found = selectors.next_level_step(current, steps, attrgetter("to"), attrgetter("kind"))
    return found.to.key if found else None


def test_a_promotion_on_the_same_track_wins_over_an_earlier_one_elsewhere():
    steps = [
        _step("promotion", 2, "manager"),
        _step("lateral", 1, "sideways"),
        _step("promotion", 1, "senior"),
    ]
    assert _next(1, steps) == "senior"


def test_else_the_first_promotion_and_never_another_kind_of_step():
    assert _next(1, [_step("promotion", 3, "a"), _step("promotion", 2, "b")]) == "a"
    assert _next(None, [_step("promotion", 3, "a")]) == "a"
    assert _next(1, [_step("lateral", 1, "x"), _step("track_switch", 1, "y")]) is None
    assert _next(1, []) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("level", "expected"),
    [("junior", "design.mid"), ("mid", "design.lead-ic"), ("lead-ic", None)],
)
def test_compare_assessments_and_pay_agree(client, level, expected):
    framework = PublishedFrameworkFactory(slug="t", content=make_tracked_document())
    version = FrameworkVersion.objects.current().get(framework=framework)
    position = f"design.{level}"

    response = client.get(
        reverse("ladders:position-compare", kwargs={"slug": "t"}), {"from": position}
    )
    assert response.status_code == 200
    on_compare = response.context["fragments"]["main"]
    person = PersonFactory(framework=framework, role_key="design", level_key=level)
    default = target_choices(person, version, hr=False).default
    assessed = default.position.key if default else None
    paid = next_position(version, "design", level)

    assert assessed == expected
    assert (paid.key if paid else None) == expected
    if expected:
        assert f'<option value="{expected}" selected' in on_compare
    else:
        assert " selected" not in on_compare.split('name="to"')[1].split("</select>")[0]
