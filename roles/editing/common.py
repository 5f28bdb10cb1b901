"""The vocabulary and shared steps of every draft write (``roles.editing``).

Labels and fingerprints of the kinds an editor changes, the conflict errors, and the steps
each service in this package is built from: lock the draft, check an element's fingerprint
and references, allocate its key and order, save it, check the document, bump the draft's
``lock_version``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max
from django.utils.translation import gettext, npgettext_lazy

from roles.document import validate_document
from roles.keys import KEY_MAX_LENGTH, KeyAllocator
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


# What people call each kind (the models' verbose names are the developers' words), with a
# context so that the plural entries stay apart from the verbose names'. Each is a
# number-aware lazy string: ``LABELS[Track] % count`` is "track" or "tracks" in the
# active language, following its plural rules.
LABELS: dict[type[models.Model], Any] = {
    Track: npgettext_lazy("kind of element", "track", "tracks"),
    Role: npgettext_lazy("kind of element", "role", "roles"),
    SubRole: npgettext_lazy("kind of element", "specialism", "specialisms"),
    Level: npgettext_lazy("kind of element", "level", "levels"),
    Position: npgettext_lazy("kind of element", "position", "positions"),
    Competency: npgettext_lazy("kind of element", "competency", "competencies"),
    Expectation: npgettext_lazy("kind of element", "statement", "statements"),
    PromotionCriterion: npgettext_lazy(
        "kind of element", "promotion criterion", "promotion criteria"
    ),
    PathStep: npgettext_lazy("kind of element", "path step", "path steps"),
}


def element_label(model: type[models.Model], count: int = 1) -> str:
    """What people call ``model``, singular or plural for ``count``, in the active language."""
    return LABELS[model] % count


class ConflictError(Exception):
    """Someone else changed the element since the editor loaded it.

    ``element`` is its current state (``None`` when it was deleted), ``fingerprint`` the
    fingerprint to send with a second, deliberate save.
    """

    def __init__(self, element: models.Model | None, message: str = "") -> None:
        self.element = element
        self.fingerprint = fingerprint(element) if element is not None else ""
        label = element_label(type(element)) if element is not None else gettext("element")
        super().__init__(
            message or gettext("This %(label)s was changed by someone else.") % {"label": label}
        )


class ElementDeletedError(ConflictError):
    """The element was deleted since the editor loaded it."""

    def __init__(self, model: type[models.Model], key: str) -> None:
        self.model = model
        self.key = key
        message = gettext("This %(label)s was deleted by someone else.")
        super().__init__(None, message % {"label": element_label(model)})


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
        return gettext("Yes") if value else gettext("No")
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


def lock_draft(draft: FrameworkVersion) -> FrameworkVersion:
    locked = FrameworkVersion.objects.select_for_update().filter(pk=draft.pk).first()
    if locked is None or not locked.is_draft:
        raise ValidationError(gettext("Only a framework's draft can be edited."))
    return locked


def touch_draft(draft: FrameworkVersion, locked: FrameworkVersion) -> None:
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


def check_references(draft: FrameworkVersion, values: dict[str, Any]) -> None:
    """Referenced elements must still exist in this draft (the draft lock keeps them)."""
    for name, value in values.items():
        if isinstance(value, models.Model) and not (
            type(value).objects.filter(pk=value.pk, version=draft).exists()
        ):
            message = gettext("This %(label)s no longer exists in the draft.")
            raise ValidationError({name: message % {"label": element_label(type(value))}})


def check_document(draft: FrameworkVersion) -> None:
    """After a structural change, the draft must still be a valid framework document."""
    errors = validate_document(document_from_version(draft))
    if errors:
        message = gettext("This change would leave the framework inconsistent: %(problem)s")
        raise ValidationError([message % {"problem": e} for e in errors[:5]])


def _save(element: models.Model) -> None:
    element.full_clean()
    element.save()


def next_order(model: type[models.Model], draft: FrameworkVersion) -> int:
    last = model.objects.filter(version=draft).aggregate(last=Max("order"))["last"]
    return 0 if last is None else last + 1


def order_after(model: type[models.Model], draft: FrameworkVersion, **group: Any) -> int:
    """Document order for a new element placed after the last of ``group``: later elements
    shift down by one, so the document keeps related statements together."""
    last = (
        model.objects.filter(version=draft, **group)
        .order_by("-order")
        .values_list("order", flat=True)
        .first()
    )
    if last is None:
        return next_order(model, draft)
    model.objects.filter(version=draft, order__gt=last).update(order=F("order") + 1)
    return last + 1


def _fit(base: str) -> str:
    """Leave room for a ``-N`` or ``.N`` suffix within the key length."""
    return base[: KEY_MAX_LENGTH - 12].rstrip("-_.") or "item"


def new_key(model: type[models.Model], draft: FrameworkVersion, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is free for this kind in the draft."""
    base = _fit(base)
    allocator = KeyAllocator()
    for taken in model.objects.filter(version=draft, key__startswith=base).values_list(
        "key", flat=True
    ):
        allocator.allocate(taken)
    return allocator.allocate(base)


def numbered_key(
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


def create_element(draft: FrameworkVersion, element: E, *, structural: bool = False) -> E:
    """Validate and insert ``element`` (key and order set by the caller) into the locked draft."""
    element.version = draft
    _save(element)
    if structural:
        check_document(draft)
    return element


def update_element(
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
        locked = lock_draft(draft)
        element = _locked(model, draft, key)
        _check_fingerprint(element, fingerprint)
        check_references(draft, values)
        for name, value in values.items():
            setattr(element, name, value)
        if check is not None:
            check(element)
        _save(element)
        if structural:
            check_document(draft)
        touch_draft(draft, locked)
    return element


def delete_element(
    model: type[models.Model],
    *,
    draft: FrameworkVersion,
    key: str,
    fingerprint: str,
    check: Callable[[Any], None] | None = None,
) -> None:
    """Delete the element and what depends on it, if nobody changed it since ``fingerprint``."""
    with transaction.atomic():
        locked = lock_draft(draft)
        element = _locked(model, draft, key)
        _check_fingerprint(element, fingerprint)
        if check is not None:
            check(element)
        element.delete()
        if model not in (Expectation, PromotionCriterion, PathStep):
            check_document(draft)
        touch_draft(draft, locked)


def move_element(model: type[E], *, draft: FrameworkVersion, key: str, direction: Direction) -> E:
    """Swap the element with its neighbour among its siblings (``MOVE_SCOPES``)."""
    if direction not in ("up", "down"):
        raise ValidationError(gettext("An element moves up or down."))
    with transaction.atomic():
        locked = lock_draft(draft)
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
        touch_draft(draft, locked)
    return element


def _renumber(model: type[models.Model], draft: FrameworkVersion) -> None:
    """Give every element of a kind a distinct order, keeping the current order."""
    rows = list(model.objects.filter(version=draft).order_by("order", "pk").only("pk", "order"))
    for i, row in enumerate(rows):
        row.order = i
    model.objects.bulk_update(rows, ["order"], batch_size=1000)


def in_draft(draft: FrameworkVersion, **refs: models.Model | None) -> None:
    for name, value in refs.items():
        if value is not None and value.version_id != draft.pk:
            raise ValidationError({name: gettext("Must belong to this draft.")})
