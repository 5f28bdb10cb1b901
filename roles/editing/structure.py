"""Services that change the structure of a draft: tracks, roles and their specialisms,
levels, positions, and the path steps between positions (see ``roles.editing``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from roles.editing.common import (
    Direction,
    check_document,
    check_references,
    create_element,
    delete_element,
    in_draft,
    lock_draft,
    move_element,
    new_key,
    next_order,
    touch_draft,
    update_element,
)
from roles.keys import key_part
from roles.models import FrameworkVersion, Level, PathStep, Position, Role, SubRole, Track

# --- tracks ----------------------------------------------------------------------------


def track_create(*, draft: FrameworkVersion, name: str, forks_from: Track | None = None) -> Track:
    with transaction.atomic():
        locked = lock_draft(draft)
        in_draft(draft, forks_from=forks_from)
        check_references(draft, {"forks_from": forks_from})
        track = Track(name=name, forks_from=forks_from, order=next_order(Track, draft))
        track.key = new_key(Track, draft, key_part(name, "track"))
        create_element(draft, track)
        touch_draft(draft, locked)
    return track


def track_update(
    *, draft: FrameworkVersion, key: str, fingerprint: str, name: str, forks_from: Track | None
) -> Track:
    in_draft(draft, forks_from=forks_from)
    values = {"name": name, "forks_from": forks_from}
    return update_element(
        Track, draft=draft, key=key, fingerprint=fingerprint, values=values, structural=True
    )


def _refuse_if_forked(track: Track) -> None:
    forks = list(Track.objects.filter(forks_from=track).values_list("name", flat=True))
    if forks:
        raise ValidationError(
            gettext(
                "Tracks fork from %(track)s: %(forks)s. "
                "Change or delete them first, so they are not deleted with it."
            )
            % {"track": track.name, "forks": ", ".join(forks)}
        )


def track_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    delete_element(Track, draft=draft, key=key, fingerprint=fingerprint, check=_refuse_if_forked)


def track_move(*, draft: FrameworkVersion, key: str, direction: Direction) -> Track:
    return move_element(Track, draft=draft, key=key, direction=direction)


# --- roles and sub-roles ---------------------------------------------------------------


def role_create(*, draft: FrameworkVersion, name: str, description: str = "") -> Role:
    with transaction.atomic():
        locked = lock_draft(draft)
        role = Role(name=name, description=description, order=next_order(Role, draft))
        role.key = new_key(Role, draft, key_part(name, "role"))
        create_element(draft, role)
        touch_draft(draft, locked)
    return role


def role_update(
    *, draft: FrameworkVersion, key: str, fingerprint: str, name: str, description: str
) -> Role:
    values = {"name": name, "description": description}
    return update_element(Role, draft=draft, key=key, fingerprint=fingerprint, values=values)


def role_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    delete_element(Role, draft=draft, key=key, fingerprint=fingerprint)


def role_move(*, draft: FrameworkVersion, key: str, direction: Direction) -> Role:
    return move_element(Role, draft=draft, key=key, direction=direction)


def _unique_sub_role_name(sub_role: SubRole) -> None:
    clash = SubRole.objects.filter(role_id=sub_role.role_id, name=sub_role.name)
    if clash.exclude(pk=sub_role.pk).exists():
        raise ValidationError(
            {"name": gettext("This role already has a specialism with this name.")}
        )


def sub_role_create(
    *, draft: FrameworkVersion, role: Role, name: str, description: str = ""
) -> SubRole:
    with transaction.atomic():
        locked = lock_draft(draft)
        in_draft(draft, role=role)
        check_references(draft, {"role": role})
        sub_role = SubRole(role=role, name=name, description=description)
        sub_role.order = next_order(SubRole, draft)
        sub_role.key = new_key(SubRole, draft, f"{role.key}.{key_part(name, 'specialism')}")
        _unique_sub_role_name(sub_role)
        create_element(draft, sub_role)
        touch_draft(draft, locked)
    return sub_role


def sub_role_update(
    *, draft: FrameworkVersion, key: str, fingerprint: str, name: str, description: str
) -> SubRole:
    values = {"name": name, "description": description}
    return update_element(
        SubRole,
        draft=draft,
        key=key,
        fingerprint=fingerprint,
        values=values,
        check=_unique_sub_role_name,
    )


def sub_role_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    delete_element(SubRole, draft=draft, key=key, fingerprint=fingerprint)


def sub_role_move(*, draft: FrameworkVersion, key: str, direction: Direction) -> SubRole:
    return move_element(SubRole, draft=draft, key=key, direction=direction)


# --- levels and positions --------------------------------------------------------------


def _free_rank(level: Level) -> None:
    clash = (
        Level.objects.filter(
            version_id=level.version_id,
            track_id=level.track_id,
            role_id=level.role_id,
            rank=level.rank,
        )
        .exclude(pk=level.pk)
        .first()
    )
    if clash is not None:
        message = gettext("Rank %(rank)s is already taken by %(level)s.")
        raise ValidationError({"rank": message % {"rank": level.rank, "level": clash.name}})


def level_create(
    *,
    draft: FrameworkVersion,
    name: str,
    rank: int,
    code: str = "",
    track: Track | None = None,
    role: Role | None = None,
    summary: str = "",
    position_roles: Iterable[Role] = (),
) -> Level:
    """A new level; with ``position_roles``, a position (titled like the level) for each."""
    with transaction.atomic():
        locked = lock_draft(draft)
        in_draft(draft, track=track, role=role)
        check_references(draft, {"track": track, "role": role})
        level = Level(name=name, rank=rank, code=code, track=track, role=role, summary=summary)
        level.version, level.order = draft, next_order(Level, draft)
        level.key = new_key(Level, draft, key_part(name, "level"))
        _free_rank(level)
        create_element(draft, level)
        for position_role in position_roles:
            in_draft(draft, role=position_role)
            _new_position(draft, role=position_role, level=level, title=name, summary="")
        check_document(draft)
        touch_draft(draft, locked)
    return level


def level_update(
    *,
    draft: FrameworkVersion,
    key: str,
    fingerprint: str,
    name: str,
    rank: int,
    code: str,
    track: Track | None,
    role: Role | None,
    summary: str,
) -> Level:
    in_draft(draft, track=track, role=role)
    values = {
        "name": name,
        "rank": rank,
        "code": code,
        "track": track,
        "role": role,
        "summary": summary,
    }
    return update_element(
        Level,
        draft=draft,
        key=key,
        fingerprint=fingerprint,
        values=values,
        structural=True,
        check=_free_rank,
    )


def level_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    delete_element(Level, draft=draft, key=key, fingerprint=fingerprint)


def _new_position(
    draft: FrameworkVersion, *, role: Role, level: Level, title: str, summary: str
) -> Position:
    if Position.objects.filter(role=role, level=level).exists():
        message = gettext("%(role)s already has a position at %(level)s.")
        raise ValidationError({"level": message % {"role": role.name, "level": level.name}})
    position = Position(role=role, level=level, title=title, summary=summary)
    position.order = next_order(Position, draft)
    position.key = new_key(Position, draft, f"{role.key}.{level.key}")
    return create_element(draft, position)


def position_create(
    *, draft: FrameworkVersion, role: Role, level: Level, title: str, summary: str = ""
) -> Position:
    with transaction.atomic():
        locked = lock_draft(draft)
        in_draft(draft, role=role, level=level)
        check_references(draft, {"role": role, "level": level})
        position = _new_position(draft, role=role, level=level, title=title, summary=summary)
        check_document(draft)
        touch_draft(draft, locked)
    return position


def position_update(
    *, draft: FrameworkVersion, key: str, fingerprint: str, title: str, summary: str
) -> Position:
    values = {"title": title, "summary": summary}
    return update_element(Position, draft=draft, key=key, fingerprint=fingerprint, values=values)


def position_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    delete_element(Position, draft=draft, key=key, fingerprint=fingerprint)


# --- path steps ------------------------------------------------------------------------


def _unique_step(step: PathStep) -> None:
    pair = PathStep.objects.filter(
        from_position_id=step.from_position_id, to_position_id=step.to_position_id
    )
    if pair.exclude(pk=step.pk).exists():
        raise ValidationError(
            {"to_position": gettext("There is already a step between these positions.")}
        )
    if step.from_position_id == step.to_position_id:
        raise ValidationError({"to_position": gettext("A step must lead to another position.")})


def path_step_create(
    *,
    draft: FrameworkVersion,
    from_position: Position,
    to_position: Position,
    kind: str,
    note: str = "",
) -> PathStep:
    with transaction.atomic():
        locked = lock_draft(draft)
        in_draft(draft, from_position=from_position, to_position=to_position)
        refs = {"from_position": from_position, "to_position": to_position}
        check_references(draft, refs)
        step = PathStep(**refs, kind=kind, note=note, order=next_order(PathStep, draft))
        step.key = new_key(PathStep, draft, f"{from_position.key}--{to_position.key}")
        _unique_step(step)
        create_element(draft, step)
        touch_draft(draft, locked)
    return step


def path_step_update(
    *,
    draft: FrameworkVersion,
    key: str,
    fingerprint: str,
    from_position: Position,
    to_position: Position,
    kind: str,
    note: str,
) -> PathStep:
    in_draft(draft, from_position=from_position, to_position=to_position)
    values = {"from_position": from_position, "to_position": to_position, "kind": kind}
    return update_element(
        PathStep,
        draft=draft,
        key=key,
        fingerprint=fingerprint,
        values={**values, "note": note},
        check=_unique_step,
    )


def path_step_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    delete_element(PathStep, draft=draft, key=key, fingerprint=fingerprint)
