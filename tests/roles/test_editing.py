"""Draft editing services: statements and criteria, optimistic locking, bookkeeping.

Structural elements (roles, levels, tracks, competencies…) are in test_editing_structure.py.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from roles import editing
from roles.document import validate_document
from roles.editing import ConflictError, ElementDeletedError, fingerprint
from roles.keys import is_valid_key
from roles.models import Expectation, FrameworkVersion, PromotionCriterion
from roles.serialization import document_from_version
from roles.services import draft_get
from tests.factories import DraftFrameworkFactory, PublishedFrameworkFactory, make_document


@pytest.fixture
def draft(db) -> FrameworkVersion:
    """Two roles x three shared levels, two competencies, two statements per cell."""
    framework = DraftFrameworkFactory(content=make_document(roles=2, levels=3, sub_roles=1))
    return draft_get(framework=framework)


def _get(model, draft, key):
    return model.objects.get(version=draft, key=key)


def _cell(draft, position: str, competency: str) -> list[str]:
    return list(
        Expectation.objects.filter(
            version=draft, position__key=position, competency__key=competency
        )
        .order_by("order", "pk")
        .values_list("key", flat=True)
    )


def _fresh(draft) -> FrameworkVersion:
    return FrameworkVersion.objects.get(pk=draft.pk)


def _statement_refs(draft, position="role-1.l2", competency="comp-1"):
    exp = _get(Expectation, draft, f"{position}.{competency}.1")
    return {"position": exp.position, "competency": exp.competency}


# --- bookkeeping ------------------------------------------------------------------------


def test_every_write_bumps_lock_version_and_clears_the_document_hash(draft):
    before = _fresh(draft)
    assert before.document_sha256
    exp = editing.expectation_create(draft=draft, text="Writes briefs.", **_statement_refs(draft))
    after = _fresh(draft)
    assert after.lock_version == before.lock_version + 1
    assert after.document_sha256 == ""
    assert (draft.lock_version, draft.document_sha256) == (after.lock_version, "")
    editing.expectation_update(
        draft=draft, key=exp.key, fingerprint=fingerprint(exp), text="Writes", sub_role=None
    )
    assert _fresh(draft).lock_version == before.lock_version + 2


def test_a_failed_write_changes_nothing(draft):
    before = _fresh(draft)
    with pytest.raises(ValidationError):
        editing.expectation_create(draft=draft, text="   ", **_statement_refs(draft))
    after = _fresh(draft)
    assert (after.lock_version, after.document_sha256) == (
        before.lock_version,
        before.document_sha256,
    )
    assert Expectation.objects.filter(version=draft).count() == 2 * 3 * 2 * 2


def test_only_the_draft_can_be_edited(db):
    framework = PublishedFrameworkFactory()
    published = framework.versions.get(number=1)
    exp = Expectation.objects.filter(version=published).first()
    with pytest.raises(ValidationError, match="draft"):
        editing.expectation_update(
            draft=published, key=exp.key, fingerprint=fingerprint(exp), text="x", sub_role=None
        )


# --- statements -------------------------------------------------------------------------


def test_a_new_statement_gets_the_next_free_key_and_ends_its_cell(draft):
    exp = editing.expectation_create(draft=draft, text="Plans work.", **_statement_refs(draft))
    assert exp.key == "role-1.l2.comp-1.3"
    again = editing.expectation_create(draft=draft, text="Ships.", **_statement_refs(draft))
    assert again.key == "role-1.l2.comp-1.4"
    assert _cell(draft, "role-1.l2", "comp-1") == [
        "role-1.l2.comp-1.1",
        "role-1.l2.comp-1.2",
        "role-1.l2.comp-1.3",
        "role-1.l2.comp-1.4",
    ]
    # The document keeps the cell together: the new statements follow the cell's last one.
    keys = [e["key"] for e in document_from_version(draft)["expectations"]]
    start = keys.index("role-1.l2.comp-1.2")
    assert keys[start + 1 : start + 3] == ["role-1.l2.comp-1.3", "role-1.l2.comp-1.4"]
    assert validate_document(document_from_version(draft)) == []


def test_a_key_freed_by_a_deleted_statement_is_reused_only_when_free(draft):
    exp = _get(Expectation, draft, "role-1.l2.comp-1.1")
    editing.expectation_delete(draft=draft, key=exp.key, fingerprint=fingerprint(exp))
    new = editing.expectation_create(
        draft=draft, text="New.", **_statement_refs(draft, "role-1.l2", "comp-2")
    )
    assert new.key == "role-1.l2.comp-2.3"
    keys = list(Expectation.objects.filter(version=draft).values_list("key", flat=True))
    assert len(keys) == len(set(keys)) and all(is_valid_key(k) for k in keys)


def test_a_statement_for_a_specialism_of_another_role_is_refused(draft):
    other_sub = draft.sub_roles.get(key="role-2.sub-1")
    with pytest.raises(ValidationError) as excinfo:
        editing.expectation_create(
            draft=draft, text="Researches.", sub_role=other_sub, **_statement_refs(draft)
        )
    assert "sub_role" in excinfo.value.message_dict


def test_elements_of_another_framework_are_refused(draft):
    other = draft_get(framework=DraftFrameworkFactory())
    foreign = _statement_refs(other)
    with pytest.raises(ValidationError):
        editing.expectation_create(draft=draft, text="Sneaky.", **foreign)


def test_updating_a_statement_keeps_its_key(draft):
    exp = _get(Expectation, draft, "role-1.l1.comp-1.1")
    sub = draft.sub_roles.get(key="role-1.sub-1")
    updated = editing.expectation_update(
        draft=draft,
        key=exp.key,
        fingerprint=fingerprint(exp),
        text="Frames *problems*.",
        sub_role=sub,
    )
    assert updated.key == exp.key
    stored = _get(Expectation, draft, exp.key)
    assert (stored.text, stored.sub_role) == ("Frames *problems*.", sub)


def test_move_swaps_a_statement_with_its_neighbour_in_the_cell(draft):
    editing.expectation_move(draft=draft, key="role-1.l2.comp-1.2", direction="up")
    assert _cell(draft, "role-1.l2", "comp-1") == ["role-1.l2.comp-1.2", "role-1.l2.comp-1.1"]
    editing.expectation_move(draft=draft, key="role-1.l2.comp-1.2", direction="down")
    assert _cell(draft, "role-1.l2", "comp-1") == ["role-1.l2.comp-1.1", "role-1.l2.comp-1.2"]
    assert _cell(draft, "role-1.l2", "comp-2") == ["role-1.l2.comp-2.1", "role-1.l2.comp-2.2"]


def test_moving_past_the_end_of_the_cell_changes_nothing(draft):
    version = _fresh(draft).lock_version
    editing.expectation_move(draft=draft, key="role-1.l2.comp-1.1", direction="up")
    editing.expectation_move(draft=draft, key="role-1.l2.comp-1.2", direction="down")
    assert _cell(draft, "role-1.l2", "comp-1") == ["role-1.l2.comp-1.1", "role-1.l2.comp-1.2"]
    assert _fresh(draft).lock_version == version


def test_move_copes_with_statements_sharing_an_order(draft):
    Expectation.objects.filter(version=draft, position__key="role-1.l2").update(order=7)
    editing.expectation_move(draft=draft, key="role-1.l2.comp-1.2", direction="up")
    assert _cell(draft, "role-1.l2", "comp-1") == ["role-1.l2.comp-1.2", "role-1.l2.comp-1.1"]
    orders = list(Expectation.objects.filter(version=draft).values_list("order", flat=True))
    assert len(orders) == len(set(orders))


def test_move_only_goes_up_or_down(draft):
    with pytest.raises(ValidationError):
        editing.expectation_move(draft=draft, key="role-1.l2.comp-1.1", direction="sideways")


# --- optimistic locking -----------------------------------------------------------------


def test_the_second_of_two_edits_from_the_same_fingerprint_is_a_conflict(draft):
    exp = _get(Expectation, draft, "role-1.l1.comp-1.1")
    seen = fingerprint(exp)
    editing.expectation_update(
        draft=draft, key=exp.key, fingerprint=seen, text="Alice's.", sub_role=None
    )
    with pytest.raises(ConflictError) as excinfo:
        editing.expectation_update(
            draft=draft, key=exp.key, fingerprint=seen, text="Bob's.", sub_role=None
        )
    assert excinfo.value.element.text == "Alice's."
    assert excinfo.value.fingerprint == fingerprint(_get(Expectation, draft, exp.key))
    assert _get(Expectation, draft, exp.key).text == "Alice's."
    # Saving again with the fingerprint of what is there now replaces it, deliberately.
    editing.expectation_update(
        draft=draft,
        key=exp.key,
        fingerprint=excinfo.value.fingerprint,
        text="Bob's.",
        sub_role=None,
    )
    assert _get(Expectation, draft, exp.key).text == "Bob's."


def test_a_conflict_leaves_the_draft_untouched(draft):
    exp = _get(Expectation, draft, "role-1.l1.comp-1.1")
    before = _fresh(draft).lock_version
    with pytest.raises(ConflictError):
        editing.expectation_update(
            draft=draft, key=exp.key, fingerprint="stale", text="x", sub_role=None
        )
    assert _fresh(draft).lock_version == before


def test_reordering_is_not_a_conflict_for_an_open_edit(draft):
    exp = _get(Expectation, draft, "role-1.l2.comp-1.2")
    seen = fingerprint(exp)
    editing.expectation_move(draft=draft, key=exp.key, direction="up")
    editing.expectation_update(
        draft=draft, key=exp.key, fingerprint=seen, text="Edited.", sub_role=None
    )
    assert _get(Expectation, draft, exp.key).text == "Edited."


def test_deleting_a_statement_changed_meanwhile_is_a_conflict(draft):
    exp = _get(Expectation, draft, "role-1.l1.comp-1.1")
    seen = fingerprint(exp)
    editing.expectation_update(
        draft=draft, key=exp.key, fingerprint=seen, text="Changed.", sub_role=None
    )
    with pytest.raises(ConflictError) as excinfo:
        editing.expectation_delete(draft=draft, key=exp.key, fingerprint=seen)
    assert excinfo.value.element.text == "Changed."
    assert Expectation.objects.filter(version=draft, key=exp.key).exists()


def test_editing_a_statement_deleted_meanwhile_says_so(draft):
    exp = _get(Expectation, draft, "role-1.l1.comp-1.1")
    seen = fingerprint(exp)
    editing.expectation_delete(draft=draft, key=exp.key, fingerprint=seen)
    with pytest.raises(ElementDeletedError, match="deleted by someone else"):
        editing.expectation_update(
            draft=draft, key=exp.key, fingerprint=seen, text="x", sub_role=None
        )
    with pytest.raises(ElementDeletedError):
        editing.expectation_delete(draft=draft, key=exp.key, fingerprint=seen)
    with pytest.raises(ElementDeletedError):
        editing.expectation_move(draft=draft, key=exp.key, direction="up")


def test_fingerprints_follow_the_editable_fields():
    exp = Expectation(key="a.b.1", text="One", sub_role_id=None, order=1)
    same = Expectation(key="a.b.1", text="One", sub_role_id=None, order=9)
    assert fingerprint(exp) == fingerprint(same)
    assert fingerprint(exp) != fingerprint(Expectation(key="a.b.1", text="Two"))
    assert fingerprint(exp) != fingerprint(Expectation(key="a.b.1", text="One", sub_role_id=3))


# --- promotion criteria -----------------------------------------------------------------


def test_criteria_are_added_numbered_edited_reordered_and_deleted(draft):
    position = draft.positions.get(key="role-1.l2")
    first = _get(PromotionCriterion, draft, "role-1.l2.c1")
    new = editing.criterion_create(
        draft=draft,
        position=position,
        text="Leads a project.",
        required=False,
        evidence_hint="A write-up.",
    )
    assert new.key == "role-1.l2.c2"
    assert (new.required, new.evidence_hint) == (False, "A write-up.")

    editing.criterion_move(draft=draft, key=new.key, direction="up")
    order = list(position.criteria.order_by("order", "pk").values_list("key", flat=True))
    assert order == ["role-1.l2.c2", "role-1.l2.c1"]

    editing.criterion_update(
        draft=draft,
        key=first.key,
        fingerprint=fingerprint(first),
        text="Works alone.",
        required=True,
        evidence_hint="",
    )
    assert _get(PromotionCriterion, draft, first.key).text == "Works alone."
    with pytest.raises(ConflictError):
        editing.criterion_delete(draft=draft, key=first.key, fingerprint=fingerprint(first))
    fresh = _get(PromotionCriterion, draft, first.key)
    editing.criterion_delete(draft=draft, key=first.key, fingerprint=fingerprint(fresh))
    assert list(position.criteria.values_list("key", flat=True)) == ["role-1.l2.c2"]


def test_an_empty_criterion_is_refused(draft):
    with pytest.raises(ValidationError):
        editing.criterion_create(draft=draft, position=draft.positions.first(), text="")
