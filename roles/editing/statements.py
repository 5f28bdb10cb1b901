"""Services that change the statements (expectations) in the cells of a draft: a
position's statements for one competency (see ``roles.editing``)."""

from __future__ import annotations

from django.db import transaction

from roles.editing.common import (
    Direction,
    check_references,
    create_element,
    delete_element,
    in_draft,
    lock_draft,
    move_element,
    numbered_key,
    order_after,
    touch_draft,
    update_element,
)
from roles.models import Competency, Expectation, FrameworkVersion, Position, SubRole


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
        locked = lock_draft(draft)
        in_draft(draft, position=position, competency=competency, sub_role=sub_role)
        refs = {"position": position, "competency": competency, "sub_role": sub_role}
        check_references(draft, refs)
        expectation = Expectation(**refs, text=text)
        expectation.key = numbered_key(Expectation, draft, f"{position.key}.{competency.key}", ".")
        expectation.order = order_after(
            Expectation, draft, position=position, competency=competency
        )
        create_element(draft, expectation)
        touch_draft(draft, locked)
    return expectation


def expectation_update(
    *, draft: FrameworkVersion, key: str, fingerprint: str, text: str, sub_role: SubRole | None
) -> Expectation:
    in_draft(draft, sub_role=sub_role)
    values = {"text": text, "sub_role": sub_role}
    return update_element(Expectation, draft=draft, key=key, fingerprint=fingerprint, values=values)


def expectation_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    delete_element(Expectation, draft=draft, key=key, fingerprint=fingerprint)


def expectation_move(*, draft: FrameworkVersion, key: str, direction: Direction) -> Expectation:
    return move_element(Expectation, draft=draft, key=key, direction=direction)
