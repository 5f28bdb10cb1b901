"""Draft editing services for the framework's structure: tracks, roles, specialisms, levels,
positions, competencies and categories, path steps. Structural edits keep the framework
document valid; cascades leave nothing dangling."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from roles import editing
from roles.document import validate_document
from roles.editing import ConflictError, fingerprint
from roles.keys import KEY_MAX_LENGTH, is_valid_key
from roles.models import (
    Competency,
    Expectation,
    FrameworkVersion,
    Level,
    PathStep,
    Position,
    PromotionCriterion,
    Role,
    SubRole,
    Track,
)
from roles.serialization import document_from_version
from roles.services import draft_get
from tests.factories import DraftFrameworkFactory, make_document, make_tracked_document


@pytest.fixture
def draft(db) -> FrameworkVersion:
    framework = DraftFrameworkFactory(content=make_document(roles=2, levels=3, sub_roles=1))
    return draft_get(framework=framework)


@pytest.fixture
def tracked(db) -> FrameworkVersion:
    """Common → IC / Manager tracks, a role-specific level and competency, path steps."""
    return draft_get(framework=DraftFrameworkFactory(content=make_tracked_document()))


def _get(model, draft, key):
    return model.objects.get(version=draft, key=key)


def _valid(draft) -> bool:
    return validate_document(document_from_version(draft)) == []


# --- keys -------------------------------------------------------------------------------


def test_keys_come_from_names_stay_unique_and_survive_renames(draft):
    role = editing.role_create(draft=draft, name="Product Design", description="")
    twin = editing.role_create(draft=draft, name="Product  design!", description="")
    odd = editing.role_create(draft=draft, name="Über-Design ✨", description="")
    emoji = editing.role_create(draft=draft, name="✨✨", description="")
    assert [role.key, twin.key, odd.key, emoji.key] == [
        "product-design",
        "product-design-2",
        "uber-design",
        "role",
    ]
    renamed = editing.role_update(
        draft=draft, key=role.key, fingerprint=fingerprint(role), name="Design", description="x"
    )
    assert renamed.key == "product-design"
    assert _get(Role, draft, "product-design").name == "Design"


def test_long_names_still_give_valid_keys(draft):
    role = editing.role_create(draft=draft, name="A very long role name " * 8)
    level = editing.level_create(
        draft=draft, name="An even longer level name " * 7, rank=9, position_roles=[role]
    )
    position = level.positions.get()
    for key in (role.key, level.key, position.key):
        assert is_valid_key(key) and len(key) <= KEY_MAX_LENGTH
    exp = editing.expectation_create(
        draft=draft, position=position, competency=draft.competencies.first(), text="Does."
    )
    assert is_valid_key(exp.key) and exp.key.endswith(".1")


def test_specialism_keys_join_the_role_key(draft):
    role = _get(Role, draft, "role-1")
    sub = editing.sub_role_create(draft=draft, role=role, name="UX research")
    assert sub.key == "role-1.ux-research"
    with pytest.raises(ValidationError, match="already has a specialism"):
        editing.sub_role_create(draft=draft, role=role, name="UX research")
    moved = editing.sub_role_move(draft=draft, key=sub.key, direction="up")
    assert list(role.sub_roles.order_by("order").values_list("key", flat=True))[0] == moved.key


# --- levels and positions -------------------------------------------------------------


def test_a_new_level_can_bring_positions_for_roles(draft):
    roles = list(Role.objects.filter(version=draft))
    level = editing.level_create(
        draft=draft, name="Principal", code="L4", rank=4, summary="", position_roles=roles
    )
    assert level.key == "principal"
    positions = Position.objects.filter(level=level).order_by("key")
    assert [(p.key, p.title) for p in positions] == [
        ("role-1.principal", "Principal"),
        ("role-2.principal", "Principal"),
    ]
    assert _valid(draft)


def test_a_rank_already_taken_is_refused_with_a_clear_message(draft):
    with pytest.raises(ValidationError) as excinfo:
        editing.level_create(draft=draft, name="Also senior", rank=3)
    assert excinfo.value.message_dict["rank"] == ["Rank 3 is already taken by Level 3."]
    level = _get(Level, draft, "l1")
    with pytest.raises(ValidationError, match="already taken"):
        editing.level_update(
            draft=draft,
            key="l1",
            fingerprint=fingerprint(level),
            name="Level 1",
            rank=2,
            code="",
            track=None,
            role=None,
            summary="",
        )


def test_making_a_shared_level_role_specific_is_refused_while_other_roles_use_it(draft):
    level = _get(Level, draft, "l2")
    with pytest.raises(ValidationError, match="inconsistent"):
        editing.level_update(
            draft=draft,
            key="l2",
            fingerprint=fingerprint(level),
            name=level.name,
            rank=level.rank,
            code=level.code,
            track=None,
            role=_get(Role, draft, "role-1"),
            summary=level.summary,
        )
    assert _get(Level, draft, "l2").role is None


def test_deleting_a_level_deletes_its_positions_and_everything_on_them(draft):
    level = _get(Level, draft, "l2")
    editing.level_delete(draft=draft, key="l2", fingerprint=fingerprint(level))
    assert not Position.objects.filter(version=draft, level__key="l2").exists()
    assert not Expectation.objects.filter(version=draft, key__contains=".l2.").exists()
    assert not PromotionCriterion.objects.filter(version=draft, key__contains=".l2.").exists()
    assert not PathStep.objects.filter(version=draft, key__contains="l2").exists()
    assert _valid(draft)


def test_positions_are_one_per_role_and_level(draft):
    role, level = _get(Role, draft, "role-1"), _get(Level, draft, "l1")
    with pytest.raises(ValidationError, match="already has a position"):
        editing.position_create(draft=draft, role=role, level=level, title="Again")
    new_level = editing.level_create(draft=draft, name="Staff", rank=4)
    position = editing.position_create(draft=draft, role=role, level=new_level, title="Staff")
    assert position.key == "role-1.staff"
    updated = editing.position_update(
        draft=draft,
        key=position.key,
        fingerprint=fingerprint(position),
        title="Staff Designer",
        summary="Leads.",
    )
    assert (updated.key, updated.title) == ("role-1.staff", "Staff Designer")


def test_a_position_cannot_use_another_roles_level(tracked):
    content_level = _get(Level, tracked, "content-lead")
    with pytest.raises(ValidationError, match="another role"):
        editing.position_create(
            draft=tracked, role=_get(Role, tracked, "design"), level=content_level, title="X"
        )


def test_deleting_a_role_removes_all_of_it(draft):
    role = _get(Role, draft, "role-2")
    editing.role_delete(draft=draft, key="role-2", fingerprint=fingerprint(role))
    for model in (SubRole, Position, Expectation, PromotionCriterion, PathStep):
        assert not model.objects.filter(version=draft, key__startswith="role-2").exists()
    assert _valid(draft)


def test_deleting_a_role_changed_meanwhile_is_a_conflict(draft):
    role = _get(Role, draft, "role-2")
    seen = fingerprint(role)
    editing.role_update(draft=draft, key="role-2", fingerprint=seen, name="Renamed", description="")
    with pytest.raises(ConflictError):
        editing.role_delete(draft=draft, key="role-2", fingerprint=seen)
    assert Role.objects.filter(version=draft, key="role-2").exists()


# --- tracks -----------------------------------------------------------------------------


def test_a_track_that_others_fork_from_cannot_be_deleted(tracked):
    common = _get(Track, tracked, "common")
    with pytest.raises(ValidationError, match="fork from Common"):
        editing.track_delete(draft=tracked, key="common", fingerprint=fingerprint(common))
    assert Track.objects.filter(version=tracked).count() == 3
    manager = _get(Track, tracked, "mgr")
    editing.track_delete(draft=tracked, key="mgr", fingerprint=fingerprint(manager))
    assert not Position.objects.filter(version=tracked, key="design.lead-mgr").exists()
    assert _valid(tracked)


def test_tracks_cannot_fork_in_a_cycle(tracked):
    common = _get(Track, tracked, "common")
    with pytest.raises(ValidationError, match="cycle"):
        editing.track_update(
            draft=tracked,
            key="common",
            fingerprint=fingerprint(common),
            name="Common",
            forks_from=_get(Track, tracked, "ic"),
        )
    assert _get(Track, tracked, "common").forks_from is None


def test_tracks_are_created_and_reordered(draft):
    first = editing.track_create(draft=draft, name="Individual contributor")
    second = editing.track_create(draft=draft, name="Manager", forks_from=first)
    assert (first.key, second.key, second.forks_from) == (
        "individual-contributor",
        "manager",
        first,
    )
    editing.track_move(draft=draft, key="manager", direction="up")
    assert [t["key"] for t in document_from_version(draft)["tracks"]] == [
        "manager",
        "individual-contributor",
    ]


# --- competencies and categories ------------------------------------------------------


def test_a_new_competency_joins_the_end_of_its_category(draft):
    comp = editing.competency_create(draft=draft, name="Craft", category="Project execution")
    assert comp.key == "craft"
    doc = document_from_version(draft)
    assert [c["key"] for c in doc["competencies"]] == ["comp-1", "craft", "comp-2"]


def test_a_competency_used_by_two_roles_cannot_become_one_roles_own(draft):
    comp = _get(Competency, draft, "comp-1")
    with pytest.raises(ValidationError, match="inconsistent"):
        editing.competency_update(
            draft=draft,
            key="comp-1",
            fingerprint=fingerprint(comp),
            name=comp.name,
            category=comp.category,
            description="",
            role=_get(Role, draft, "role-1"),
        )


def test_competencies_move_within_their_category(draft):
    editing.competency_create(draft=draft, name="Craft", category="Project execution")
    editing.competency_move(draft=draft, key="craft", direction="up")
    keys = list(draft.competencies.order_by("order").values_list("key", flat=True))
    assert keys == ["craft", "comp-1", "comp-2"]


def test_renaming_a_category_renames_it_on_every_competency(draft):
    count = editing.category_rename(draft=draft, name="Project execution", new_name=" Delivery ")
    assert count == 1
    assert _get(Competency, draft, "comp-1").category == "Delivery"
    merged = editing.category_rename(
        draft=draft, name="Internal collaboration", new_name="Delivery"
    )
    assert merged == 1
    assert set(draft.competencies.values_list("category", flat=True)) == {"Delivery"}
    with pytest.raises(ValidationError, match="any more"):
        editing.category_rename(draft=draft, name="Project execution", new_name="X")


def test_deleting_a_competency_deletes_its_statements(draft):
    comp = _get(Competency, draft, "comp-2")
    editing.competency_delete(draft=draft, key="comp-2", fingerprint=fingerprint(comp))
    assert not Expectation.objects.filter(version=draft, competency__key="comp-2").exists()
    assert _valid(draft)


# --- path steps -----------------------------------------------------------------------


def test_path_steps_connect_two_different_positions_once(draft):
    source, target = _get(Position, draft, "role-1.l1"), _get(Position, draft, "role-2.l2")
    step = editing.path_step_create(
        draft=draft, from_position=source, to_position=target, kind="lateral", note="Rare."
    )
    assert step.key == "role-1.l1--role-2.l2"
    with pytest.raises(ValidationError, match="already a step"):
        editing.path_step_create(
            draft=draft, from_position=source, to_position=target, kind="promotion"
        )
    with pytest.raises(ValidationError, match="another position"):
        editing.path_step_create(
            draft=draft, from_position=source, to_position=source, kind="promotion"
        )
    updated = editing.path_step_update(
        draft=draft,
        key=step.key,
        fingerprint=fingerprint(step),
        from_position=source,
        to_position=_get(Position, draft, "role-2.l3"),
        kind="track_switch",
        note="",
    )
    assert (updated.key, updated.to_position.key) == ("role-1.l1--role-2.l2", "role-2.l3")
    editing.path_step_delete(draft=draft, key=step.key, fingerprint=fingerprint(updated))
    assert _valid(draft)
