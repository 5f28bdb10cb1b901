"""Services that change the promotion criteria of a draft's positions (see ``roles.editing``)."""

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
from roles.models import FrameworkVersion, Position, PromotionCriterion


def criterion_create(
    *,
    draft: FrameworkVersion,
    position: Position,
    text: str,
    required: bool = True,
    evidence_hint: str = "",
) -> PromotionCriterion:
    with transaction.atomic():
        locked = lock_draft(draft)
        in_draft(draft, position=position)
        check_references(draft, {"position": position})
        criterion = PromotionCriterion(
            position=position, text=text, required=required, evidence_hint=evidence_hint
        )
        criterion.key = numbered_key(PromotionCriterion, draft, position.key, ".c")
        criterion.order = order_after(PromotionCriterion, draft, position=position)
        create_element(draft, criterion)
        touch_draft(draft, locked)
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
    return update_element(
        PromotionCriterion, draft=draft, key=key, fingerprint=fingerprint, values=values
    )


def criterion_delete(*, draft: FrameworkVersion, key: str, fingerprint: str) -> None:
    delete_element(PromotionCriterion, draft=draft, key=key, fingerprint=fingerprint)


def criterion_move(
    *, draft: FrameworkVersion, key: str, direction: Direction
) -> PromotionCriterion:
    return move_element(PromotionCriterion, draft=draft, key=key, direction=direction)
