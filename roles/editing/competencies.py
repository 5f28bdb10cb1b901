"""Services that change a draft's competencies and their categories (see ``roles.editing``)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from roles.editing.common import (
    Direction,
    check_references,
    create_element,
    delete_element,
    in_draft,
    lock_draft,
    move_element,
    new_key,
    order_after,
    touch_draft,
    update_element,
)
from roles.keys import key_part
from roles.models import Competency, FrameworkVersion, Role


def competency_create(
    *,
    draft: FrameworkVersion,
    name: str,
    category: str = "",
    description: str = "",
    role: Role | None = None,
) -> Competency:
    with transaction.atomic():
        locked = lock_draft(draft)
        in_draft(draft, role=role)
        check_references(draft, {"role": role})
        competency = Competency(name=name, category=category, description=description, role=role)
        competency.order = order_after(Competency, draft, category=category)
        competency.key = new_key(Competency, draft, key_part(name, "competency"))
        create_element(draft, competency)
        touch_draft(draft, locked)
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
    in_draft(draft, role=role)
    values = {"name": name, "category": category, "description": description, "role": role}
    return update_element(
        Competency,
        draft=draft,
        key=key,
        fingerprint=fingerprint,
        values=values,
        structural=True,
    )


def competency_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    delete_element(Competency, draft=draft, key=key, fingerprint=fingerprint)


def competency_move(*, draft: FrameworkVersion, key: str, direction: Direction) -> Competency:
    return move_element(Competency, draft=draft, key=key, direction=direction)


def category_rename(*, draft: FrameworkVersion, name: str, new_name: str) -> int:
    """Rename a category (merging it into ``new_name`` if that exists); returns how many
    competencies it holds."""
    with transaction.atomic():
        locked = lock_draft(draft)
        competencies = Competency.objects.filter(version=draft, category=name)
        if not competencies.exists():
            message = gettext("No competency is in the category “%(category)s” any more.")
            raise ValidationError({NON_FIELD_ERRORS: message % {"category": name}})
        count = competencies.update(category=new_name.strip())
        touch_draft(draft, locked)
    return count
