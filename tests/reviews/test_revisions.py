"""revision_save and revision_restore."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from reviews.models import Activity, Revision
from reviews.services import SaveResult, revision_restore, revision_save
from roles.document import document_sha256
from roles.serialization import document_from_version
from roles.services import draft_get
from tests.factories import PublishedFrameworkFactory
from tests.reviews.factories import STATEMENT, draft_document, edit_draft, reword, save_revision


def test_revisions_are_numbered_in_order_and_link_to_their_parent(framework, editor):
    r1 = save_revision(framework, editor, "First")
    edit_draft(framework, reword(STATEMENT, "Second wording."))
    r2 = save_revision(framework, editor, "Second")
    edit_draft(framework, reword(STATEMENT, "Third wording."))
    r3 = save_revision(framework, editor, "Third")

    assert [r.number for r in (r1, r2, r3)] == [1, 2, 3]
    assert [r.label for r in (r1, r2, r3)] == ["r1", "r2", "r3"]
    assert r1.parent is None
    assert r2.parent == r1
    assert r3.parent == r2


def test_revision_holds_the_drafts_document_its_hash_author_and_summary(framework, editor):
    result = revision_save(framework=framework, user=editor, summary="  First draft  ")

    revision = Revision.objects.get(pk=result.revision.pk)
    assert result.created
    assert revision.document == draft_document(framework)
    assert revision.sha256 == document_sha256(revision.document)
    assert revision.sha256 == draft_get(framework=framework).document_sha256
    assert revision.author == editor
    assert revision.summary == "First draft"


def test_saving_identical_content_returns_the_existing_revision_and_stores_nothing(
    framework, editor
):
    first = revision_save(framework=framework, user=editor, summary="First")
    activity = Activity.objects.count()

    again = revision_save(framework=framework, user=editor, summary="Nothing changed")

    assert again == SaveResult(first.revision, created=False)
    assert Revision.objects.filter(framework=framework).count() == 1
    assert Revision.objects.get().summary == "First"
    assert Activity.objects.count() == activity


def test_saving_content_equal_to_an_older_revision_returns_that_revision(framework, editor):
    r1 = save_revision(framework, editor, "First")
    original = draft_document(framework)
    edit_draft(framework, reword(STATEMENT, "Changed."))
    save_revision(framework, editor, "Second")
    edit_draft(framework, lambda document: document.update(original))

    result = revision_save(framework=framework, user=editor, summary="Back to the first")

    assert result == SaveResult(r1, created=False)
    assert Revision.objects.filter(framework=framework).count() == 2


@pytest.mark.parametrize("summary", ["", "   "])
def test_revision_needs_a_summary(framework, editor, summary):
    with pytest.raises(ValidationError) as excinfo:
        revision_save(framework=framework, user=editor, summary=summary)

    assert "summary" in excinfo.value.message_dict
    assert not Revision.objects.exists()


def test_saving_a_revision_is_logged(framework, editor):
    revision = save_revision(framework, editor, "First draft")

    entry = Activity.objects.get(framework=framework)
    assert (entry.verb, entry.actor, entry.revision, entry.detail) == (
        "revision_saved",
        editor,
        revision,
        "First draft",
    )


def test_revisions_of_two_frameworks_are_numbered_independently(framework, editor):
    other = PublishedFrameworkFactory(editors=[editor])
    save_revision(framework, editor)

    assert save_revision(other, editor).number == 1


# --- restore --------------------------------------------------------------------------


def test_restore_replaces_the_draft_with_the_revisions_document(framework, editor):
    r1 = save_revision(framework, editor, "First")
    edit_draft(framework, reword(STATEMENT, "Changed."))
    save_revision(framework, editor, "Second")

    revision_restore(revision=r1, user=editor)

    assert document_from_version(draft_get(framework=framework)) == r1.document


def test_restore_saves_an_unsaved_draft_first_so_nothing_is_lost(framework, editor):
    r1 = save_revision(framework, editor, "First")
    unsaved = edit_draft(framework, reword(STATEMENT, "Unsaved wording."))

    backup = revision_restore(revision=r1, user=editor)

    assert backup is not None and backup.created
    assert backup.revision.number == 2
    assert backup.revision.document == unsaved
    assert backup.revision.summary == "Draft before restoring r1"
    assert document_from_version(draft_get(framework=framework)) == r1.document


def test_restore_saves_nothing_when_the_draft_equals_a_revision(framework, editor):
    r1 = save_revision(framework, editor, "First")
    edit_draft(framework, reword(STATEMENT, "Changed."))
    r2 = save_revision(framework, editor, "Second")

    backup = revision_restore(revision=r1, user=editor)

    # The draft was r2 already: that revision is reported, nothing new is stored.
    assert backup == SaveResult(r2, created=False)
    assert list(Revision.objects.values_list("number", flat=True)) == [2, 1]


def test_restoring_the_revision_the_draft_already_holds_saves_nothing(framework, editor):
    r1 = save_revision(framework, editor, "First")

    assert revision_restore(revision=r1, user=editor) is None
    assert Revision.objects.count() == 1
    assert document_from_version(draft_get(framework=framework)) == r1.document


def test_restore_is_logged_after_the_safety_save(framework, editor):
    r1 = save_revision(framework, editor, "First")
    edit_draft(framework, reword(STATEMENT, "Unsaved wording."))

    revision_restore(revision=r1, user=editor)

    log = list(
        Activity.objects.filter(framework=framework)
        .order_by("pk")
        .values_list("verb", "revision__number", "detail")
    )
    assert log == [
        ("revision_saved", 1, "First"),
        ("revision_saved", 2, "Draft before restoring r1"),
        ("revision_restored", 1, ""),
    ]
