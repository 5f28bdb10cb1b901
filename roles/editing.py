"""Writes to a framework's draft, one element at a time (STYLE.md section 2).

Every write locks the draft row first, so writes to one draft are serialised: keys are
allocated without races and ``lock_version`` counts every change. A successful write bumps
``lock_version`` and clears ``document_sha256`` (the reviews app hashes the rows when it
needs to).

Optimistic locking per element: an edit form carries the ``fingerprint`` of the element as
the editor saw it; updating or deleting an element whose fingerprint has changed meanwhile
raises ``ConflictError`` with the element's current state, and nothing is written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any, Literal, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import F, Max

from roles.document import validate_document
from roles.keys import KEY_MAX_LENGTH, KeyAllocator, key_part
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

Direction = Literal["up", "down"]
E = TypeVar("E", bound=models.Model)

# What an editor can change on each kind; these fields make up its fingerprint. References
# that define where an element lives (a position's role and level, a statement's position
# and competency) are fixed when it is created.
EDITABLE_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Track: ("name", "forks_from"),
    Role: ("name", "description"),
    SubRole: ("name", "description"),
    Level: ("name", "code", "track", "role", "rank", "summary"),
    Position: ("title", "summary"),
    Competency: ("name", "category", "role", "description"),
    Expectation: ("text", "sub_role"),
    PromotionCriterion: ("text", "required", "evidence_hint"),
    PathStep: ("from_position", "to_position", "kind", "note"),
}

# Siblings an element is reordered among (fields shared with the element).
MOVE_SCOPES: dict[type[models.Model], tuple[str, ...]] = {
    Track: (),
    Role: (),
    SubRole: ("role",),
    Competency: ("category",),
    Expectation: ("position", "competency"),
    PromotionCriterion: ("position",),
}


# What people call each kind (the models' verbose names are the developers' words).
LABELS: dict[type[models.Model], tuple[str, str]] = {
    Track: ("track", "tracks"),
    Role: ("role", "roles"),
    SubRole: ("specialism", "specialisms"),
    Level: ("level", "levels"),
    Position: ("position", "positions"),
    Competency: ("competency", "competencies"),
    Expectation: ("statement", "statements"),
    PromotionCriterion: ("promotion criterion", "promotion criteria"),
    PathStep: ("path step", "path steps"),
}


def element_label(model: type[models.Model], count: int = 1) -> str:
    singular, plural = LABELS[model]
    return singular if count == 1 else plural


class ConflictError(Exception):
    """Someone else changed the element since the editor loaded it.

    ``element`` is its current state (``None`` when it was deleted), ``fingerprint`` the
    fingerprint to send with a second, deliberate save.
    """

    def __init__(self, element: models.Model | None, message: str = "") -> None:
        self.element = element
        self.fingerprint = fingerprint(element) if element is not None else ""
        label = element_label(type(element)) if element is not None else "element"
        super().__init__(message or f"This {label} was changed by someone else.")


class ElementDeletedError(ConflictError):
    """The element was deleted since the editor loaded it."""

    def __init__(self, model: type[models.Model], key: str) -> None:
        self.model = model
        self.key = key
        super().__init__(None, f"This {element_label(model)} was deleted by someone else.")


# --- fingerprints ----------------------------------------------------------------------


def fingerprint(element: models.Model) -> str:
    """SHA-256 of the element's key and editable field values (references by id)."""
    values = [element.key] + [
        getattr(element, element._meta.get_field(name).attname)
        for name in EDITABLE_FIELDS[type(element)]
    ]
    data = json.dumps([type(element).__name__, values], ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def display_value(element: models.Model, name: str) -> str:
    """A field's value as people read it (names of references, labels of choices)."""
    field = element._meta.get_field(name)
    value = getattr(element, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, models.Model):
        return element_name(value)
    return "" if value is None else str(value)


def element_name(element: models.Model) -> str:
    """How people recognise an element: its name or title, a step's ends, a text's start."""
    if isinstance(element, PathStep):
        return f"{element.from_position.title} → {element.to_position.title}"
    for attribute in ("name", "title"):
        if getattr(element, attribute, ""):
            return getattr(element, attribute)
    text = " ".join(getattr(element, "text", "").split())
    return text if len(text) <= 60 else text[:59] + "…"


# --- shared steps ----------------------------------------------------------------------


def _lock_draft(draft: FrameworkVersion) -> FrameworkVersion:
    locked = FrameworkVersion.objects.select_for_update().filter(pk=draft.pk).first()
    if locked is None or not locked.is_draft:
        raise ValidationError("Only a framework's draft can be edited.")
    return locked


def _touch(draft: FrameworkVersion, locked: FrameworkVersion) -> None:
    """Record a change: bump the lock version, forget the document hash."""
    FrameworkVersion.objects.filter(pk=draft.pk).update(
        lock_version=F("lock_version") + 1, document_sha256=""
    )
    draft.lock_version, draft.document_sha256 = locked.lock_version + 1, ""


def _locked(model: type[E], draft: FrameworkVersion, key: str) -> E:
    element = model.objects.select_for_update().filter(version=draft, key=key).first()
    if element is None:
        raise ElementDeletedError(model, key)
    return element


def _check_fingerprint(element: models.Model, expected: str) -> None:
    if fingerprint(element) != expected:
        raise ConflictError(element)


def _check_references(draft: FrameworkVersion, values: dict[str, Any]) -> None:
    """Referenced elements must still exist in this draft (the draft lock keeps them)."""
    for name, value in values.items():
        if isinstance(value, models.Model) and not (
            type(value).objects.filter(pk=value.pk, version=draft).exists()
        ):
            label = element_label(type(value))
            raise ValidationError({name: f"This {label} no longer exists in the draft."})


def _check_document(draft: FrameworkVersion) -> None:
    """After a structural change, the draft must still be a valid framework document."""
    errors = validate_document(document_from_version(draft))
    if errors:
        raise ValidationError(
            [f"This change would leave the framework inconsistent: {e}" for e in errors[:5]]
        )


def _save(element: models.Model) -> None:
    element.full_clean()
    element.save()


def _next_order(model: type[models.Model], draft: FrameworkVersion) -> int:
    last = model.objects.filter(version=draft).aggregate(last=Max("order"))["last"]
    return 0 if last is None else last + 1


def _order_after(model: type[models.Model], draft: FrameworkVersion, **group: Any) -> int:
    """Document order for a new element placed after the last of ``group``: later elements
    shift down by one, so the document keeps related statements together."""
    last = (
        model.objects.filter(version=draft, **group)
        .order_by("-order")
        .values_list("order", flat=True)
        .first()
    )
    if last is None:
        return _next_order(model, draft)
    model.objects.filter(version=draft, order__gt=last).update(order=F("order") + 1)
    return last + 1


def _fit(base: str) -> str:
    """Leave room for a ``-N`` or ``.N`` suffix within the key length."""
    return base[: KEY_MAX_LENGTH - 12].rstrip("-_.") or "item"


def _new_key(model: type[models.Model], draft: FrameworkVersion, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is free for this kind in the draft."""
    base = _fit(base)
    allocator = KeyAllocator()
    for taken in model.objects.filter(version=draft, key__startswith=base).values_list(
        "key", flat=True
    ):
        allocator.allocate(taken)
    return allocator.allocate(base)


def _numbered_key(
    model: type[models.Model], draft: FrameworkVersion, base: str, separator: str
) -> str:
    """``base.1``, ``base.2``… (with ``separator`` before the number): the first one free."""
    prefix = _fit(base) + separator
    taken = set(
        model.objects.filter(version=draft, key__startswith=prefix).values_list("key", flat=True)
    )
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _create(draft: FrameworkVersion, element: E, *, structural: bool = False) -> E:
    """Validate and insert ``element`` (key and order set by the caller) into the locked draft."""
    element.version = draft
    _save(element)
    if structural:
        _check_document(draft)
    return element


def _update(
    model: type[E],
    *,
    draft: FrameworkVersion,
    key: str,
    fingerprint: str,
    values: dict[str, Any],
    structural: bool = False,
    check: Callable[[E], None] | None = None,
) -> E:
    """Apply ``values`` to the element if nobody changed it since ``fingerprint``."""
    with transaction.atomic():
        locked = _lock_draft(draft)
        element = _locked(model, draft, key)
        _check_fingerprint(element, fingerprint)
        _check_references(draft, values)
        for name, value in values.items():
            setattr(element, name, value)
        if check is not None:
            check(element)
        _save(element)
        if structural:
            _check_document(draft)
        _touch(draft, locked)
    return element


def _delete(
    model: type[models.Model],
    *,
    draft: FrameworkVersion,
    key: str,
    fingerprint: str,
    check: Callable[[Any], None] | None = None,
) -> None:
    """Delete the element and what depends on it, if nobody changed it since ``fingerprint``."""
    with transaction.atomic():
        locked = _lock_draft(draft)
        element = _locked(model, draft, key)
        _check_fingerprint(element, fingerprint)
        if check is not None:
            check(element)
        element.delete()
        if model not in (Expectation, PromotionCriterion, PathStep):
            _check_document(draft)
        _touch(draft, locked)


def _move(model: type[E], *, draft: FrameworkVersion, key: str, direction: Direction) -> E:
    """Swap the element with its neighbour among its siblings (``MOVE_SCOPES``)."""
    if direction not in ("up", "down"):
        raise ValidationError("An element moves up or down.")
    with transaction.atomic():
        locked = _lock_draft(draft)
        element = _locked(model, draft, key)
        scope = {name: getattr(element, name) for name in MOVE_SCOPES[model]}
        siblings = list(model.objects.filter(version=draft, **scope).order_by("order", "pk"))
        if len({s.order for s in siblings}) < len(siblings):
            _renumber(model, draft)
            siblings = list(model.objects.filter(version=draft, **scope).order_by("order", "pk"))
        index = next(i for i, s in enumerate(siblings) if s.pk == element.pk)
        other_index = index - 1 if direction == "up" else index + 1
        if not 0 <= other_index < len(siblings):
            return element
        element, other = siblings[index], siblings[other_index]
        element.order, other.order = other.order, element.order
        model.objects.bulk_update([element, other], ["order"])
        _touch(draft, locked)
    return element


def _renumber(model: type[models.Model], draft: FrameworkVersion) -> None:
    """Give every element of a kind a distinct order, keeping the current order."""
    rows = list(model.objects.filter(version=draft).order_by("order", "pk").only("pk", "order"))
    for i, row in enumerate(rows):
        row.order = i
    model.objects.bulk_update(rows, ["order"], batch_size=1000)


def _in_draft(draft: FrameworkVersion, **refs: models.Model | None) -> None:
    for name, value in refs.items():
        if value is not None and value.version_id != draft.pk:
            raise ValidationError({name: "Must belong to this draft."})


# --- tracks ----------------------------------------------------------------------------


def track_create(*, draft: FrameworkVersion, name: str, forks_from: Track | None = None) -> Track:
    with transaction.atomic():
        locked = _lock_draft(draft)
        _in_draft(draft, forks_from=forks_from)
        _check_references(draft, {"forks_from": forks_from})
        track = Track(name=name, forks_from=forks_from, order=_next_order(Track, draft))
        track.key = _new_key(Track, draft, key_part(name, "track"))
        _create(draft, track)
        _touch(draft, locked)
    return track


def track_update(
    *, draft: FrameworkVersion, key: str, fingerprint: str, name: str, forks_from: Track | None
) -> Track:
    _in_draft(draft, forks_from=forks_from)
    values = {"name": name, "forks_from": forks_from}
    return _update(
        Track, draft=draft, key=key, fingerprint=fingerprint, values=values, structural=True
    )


def _refuse_if_forked(track: Track) -> None:
    forks = list(Track.objects.filter(forks_from=track).values_list("name", flat=True))
    if forks:
        raise ValidationError(
            f"Tracks fork from {track.name}: {', '.join(forks)}. "
            "Change or delete them first, so they are not deleted with it."
        )


def track_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    _delete(Track, draft=draft, key=key, fingerprint=fingerprint, check=_refuse_if_forked)


def track_move(*, draft: FrameworkVersion, key: str, direction: Direction) -> Track:
    return _move(Track, draft=draft, key=key, direction=direction)


# --- roles and sub-roles ---------------------------------------------------------------


def role_create(*, draft: FrameworkVersion, name: str, description: str = "") -> Role:
    with transaction.atomic():
        locked = _lock_draft(draft)
        role = Role(name=name, description=description, order=_next_order(Role, draft))
        role.key = _new_key(Role, draft, key_part(name, "role"))
        _create(draft, role)
        _touch(draft, locked)
    return role


def role_update(
    *, draft: FrameworkVersion, key: str, fingerprint: str, name: str, description: str
) -> Role:
    values = {"name": name, "description": description}
    return _update(Role, draft=draft, key=key, fingerprint=fingerprint, values=values)


def role_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    _delete(Role, draft=draft, key=key, fingerprint=fingerprint)


def role_move(*, draft: FrameworkVersion, key: str, direction: Direction) -> Role:
    return _move(Role, draft=draft, key=key, direction=direction)


def _unique_sub_role_name(sub_role: SubRole) -> None:
    clash = SubRole.objects.filter(role_id=sub_role.role_id, name=sub_role.name)
    if clash.exclude(pk=sub_role.pk).exists():
        raise ValidationError({"name": "This role already has a specialism with this name."})


def sub_role_create(
    *, draft: FrameworkVersion, role: Role, name: str, description: str = ""
) -> SubRole:
    with transaction.atomic():
        locked = _lock_draft(draft)
        _in_draft(draft, role=role)
        _check_references(draft, {"role": role})
        sub_role = SubRole(role=role, name=name, description=description)
        sub_role.order = _next_order(SubRole, draft)
        sub_role.key = _new_key(SubRole, draft, f"{role.key}.{key_part(name, 'specialism')}")
        _unique_sub_role_name(sub_role)
        _create(draft, sub_role)
        _touch(draft, locked)
    return sub_role


def sub_role_update(
    *, draft: FrameworkVersion, key: str, fingerprint: str, name: str, description: str
) -> SubRole:
    values = {"name": name, "description": description}
    return _update(
        SubRole,
        draft=draft,
        key=key,
        fingerprint=fingerprint,
        values=values,
        check=_unique_sub_role_name,
    )


def sub_role_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    _delete(SubRole, draft=draft, key=key, fingerprint=fingerprint)


def sub_role_move(*, draft: FrameworkVersion, key: str, direction: Direction) -> SubRole:
    return _move(SubRole, draft=draft, key=key, direction=direction)


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
        raise ValidationError({"rank": f"Rank {level.rank} is already taken by {clash.name}."})


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
        locked = _lock_draft(draft)
        _in_draft(draft, track=track, role=role)
        _check_references(draft, {"track": track, "role": role})
        level = Level(name=name, rank=rank, code=code, track=track, role=role, summary=summary)
        level.version, level.order = draft, _next_order(Level, draft)
        level.key = _new_key(Level, draft, key_part(name, "level"))
        _free_rank(level)
        _create(draft, level)
        for position_role in position_roles:
            _in_draft(draft, role=position_role)
            _new_position(draft, role=position_role, level=level, title=name, summary="")
        _check_document(draft)
        _touch(draft, locked)
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
    _in_draft(draft, track=track, role=role)
    values = {
        "name": name,
        "rank": rank,
        "code": code,
        "track": track,
        "role": role,
        "summary": summary,
    }
    return _update(
        Level,
        draft=draft,
        key=key,
        fingerprint=fingerprint,
        values=values,
        structural=True,
        check=_free_rank,
    )


def level_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    _delete(Level, draft=draft, key=key, fingerprint=fingerprint)


def _new_position(
    draft: FrameworkVersion, *, role: Role, level: Level, title: str, summary: str
) -> Position:
    if Position.objects.filter(role=role, level=level).exists():
        raise ValidationError({"level": f"{role.name} already has a position at {level.name}."})
    position = Position(role=role, level=level, title=title, summary=summary)
    position.order = _next_order(Position, draft)
    position.key = _new_key(Position, draft, f"{role.key}.{level.key}")
    return _create(draft, position)


def position_create(
    *, draft: FrameworkVersion, role: Role, level: Level, title: str, summary: str = ""
) -> Position:
    with transaction.atomic():
        locked = _lock_draft(draft)
        _in_draft(draft, role=role, level=level)
        _check_references(draft, {"role": role, "level": level})
        position = _new_position(draft, role=role, level=level, title=title, summary=summary)
        _check_document(draft)
        _touch(draft, locked)
    return position


def position_update(
    *, draft: FrameworkVersion, key: str, fingerprint: str, title: str, summary: str
) -> Position:
    values = {"title": title, "summary": summary}
    return _update(Position, draft=draft, key=key, fingerprint=fingerprint, values=values)


def position_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    _delete(Position, draft=draft, key=key, fingerprint=fingerprint)


# --- competencies and their categories -------------------------------------------------


def competency_create(
    *,
    draft: FrameworkVersion,
    name: str,
    category: str = "",
    description: str = "",
    role: Role | None = None,
) -> Competency:
    with transaction.atomic():
        locked = _lock_draft(draft)
        _in_draft(draft, role=role)
        _check_references(draft, {"role": role})
        competency = Competency(name=name, category=category, description=description, role=role)
        competency.order = _order_after(Competency, draft, category=category)
        competency.key = _new_key(Competency, draft, key_part(name, "competency"))
        _create(draft, competency)
        _touch(draft, locked)
    return competency


def competency_update(
    *,
    draft: FrameworkVersion,
    key: str,
    fingerprint: str,
    name: str,
    category: str,
    description: str,
    role: Role | None,
) -> Competency:
    _in_draft(draft, role=role)
    values = {"name": name, "category": category, "description": description, "role": role}
    return _update(
        Competency,
        draft=draft,
        key=key,
        fingerprint=fingerprint,
        values=values,
        structural=True,
    )


def competency_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    _delete(Competency, draft=draft, key=key, fingerprint=fingerprint)


def competency_move(*, draft: FrameworkVersion, key: str, direction: Direction) -> Competency:
    return _move(Competency, draft=draft, key=key, direction=direction)


def category_rename(*, draft: FrameworkVersion, name: str, new_name: str) -> int:
    """Rename a category (merging it into ``new_name`` if that exists); returns how many
    competencies it holds."""
    with transaction.atomic():
        locked = _lock_draft(draft)
        competencies = Competency.objects.filter(version=draft, category=name)
        if not competencies.exists():
            raise ValidationError(
                {NON_FIELD_ERRORS: f"No competency is in the category “{name}” any more."}
            )
        count = competencies.update(category=new_name.strip())
        _touch(draft, locked)
    return count


# --- statements (expectations) ---------------------------------------------------------


def expectation_create(
    *,
    draft: FrameworkVersion,
    position: Position,
    competency: Competency,
    text: str,
    sub_role: SubRole | None = None,
) -> Expectation:
    """A new statement, last in its cell (the position's statements for the competency)."""
    with transaction.atomic():
        locked = _lock_draft(draft)
        _in_draft(draft, position=position, competency=competency, sub_role=sub_role)
        refs = {"position": position, "competency": competency, "sub_role": sub_role}
        _check_references(draft, refs)
        expectation = Expectation(**refs, text=text)
        expectation.key = _numbered_key(Expectation, draft, f"{position.key}.{competency.key}", ".")
        expectation.order = _order_after(
            Expectation, draft, position=position, competency=competency
        )
        _create(draft, expectation)
        _touch(draft, locked)
    return expectation


def expectation_update(
    *, draft: FrameworkVersion, key: str, fingerprint: str, text: str, sub_role: SubRole | None
) -> Expectation:
    _in_draft(draft, sub_role=sub_role)
    values = {"text": text, "sub_role": sub_role}
    return _update(Expectation, draft=draft, key=key, fingerprint=fingerprint, values=values)


def expectation_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    _delete(Expectation, draft=draft, key=key, fingerprint=fingerprint)


def expectation_move(*, draft: FrameworkVersion, key: str, direction: Direction) -> Expectation:
    return _move(Expectation, draft=draft, key=key, direction=direction)


# --- promotion criteria ----------------------------------------------------------------


def criterion_create(
    *,
    draft: FrameworkVersion,
    position: Position,
    text: str,
    required: bool = True,
    evidence_hint: str = "",
) -> PromotionCriterion:
    with transaction.atomic():
        locked = _lock_draft(draft)
        _in_draft(draft, position=position)
        _check_references(draft, {"position": position})
        criterion = PromotionCriterion(
            position=position, text=text, required=required, evidence_hint=evidence_hint
        )
        criterion.key = _numbered_key(PromotionCriterion, draft, position.key, ".c")
        criterion.order = _order_after(PromotionCriterion, draft, position=position)
        _create(draft, criterion)
        _touch(draft, locked)
    return criterion


def criterion_update(
    *,
    draft: FrameworkVersion,
    key: str,
    fingerprint: str,
    text: str,
    required: bool,
    evidence_hint: str,
) -> PromotionCriterion:
    values = {"text": text, "required": required, "evidence_hint": evidence_hint}
    return _update(PromotionCriterion, draft=draft, key=key, fingerprint=fingerprint, values=values)


def criterion_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    _delete(PromotionCriterion, draft=draft, key=key, fingerprint=fingerprint)


def criterion_move(
    *, draft: FrameworkVersion, key: str, direction: Direction
) -> PromotionCriterion:
    return _move(PromotionCriterion, draft=draft, key=key, direction=direction)


# --- path steps ------------------------------------------------------------------------


def _unique_step(step: PathStep) -> None:
    pair = PathStep.objects.filter(
        from_position_id=step.from_position_id, to_position_id=step.to_position_id
    )
    if pair.exclude(pk=step.pk).exists():
        raise ValidationError({"to_position": "There is already a step between these positions."})
    if step.from_position_id == step.to_position_id:
        raise ValidationError({"to_position": "A step must lead to another position."})


def path_step_create(
    *,
    draft: FrameworkVersion,
    from_position: Position,
    to_position: Position,
    kind: str,
    note: str = "",
) -> PathStep:
    with transaction.atomic():
        locked = _lock_draft(draft)
        _in_draft(draft, from_position=from_position, to_position=to_position)
        refs = {"from_position": from_position, "to_position": to_position}
        _check_references(draft, refs)
        step = PathStep(**refs, kind=kind, note=note, order=_next_order(PathStep, draft))
        step.key = _new_key(PathStep, draft, f"{from_position.key}--{to_position.key}")
        _unique_step(step)
        _create(draft, step)
        _touch(draft, locked)
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
    _in_draft(draft, from_position=from_position, to_position=to_position)
    values = {"from_position": from_position, "to_position": to_position, "kind": kind}
    return _update(
        PathStep,
        draft=draft,
        key=key,
        fingerprint=fingerprint,
        values={**values, "note": note},
        check=_unique_step,
    )


def path_step_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    _delete(PathStep, draft=draft, key=key, fingerprint=fingerprint)
