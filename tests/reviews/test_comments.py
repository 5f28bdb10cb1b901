"""comment_create, comment_resolve and the threads carried forward to newer revisions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from reviews.models import Comment
from reviews.selectors import activity_list, round_threads
from reviews.services import (
    comment_create,
    comment_resolve,
    round_advance,
    round_close,
    round_open,
)
from tests.factories import PublishedFrameworkFactory
from tests.reviews.factories import (
    OTHER_STATEMENT,
    SAME_CELL_STATEMENT,
    STATEMENT,
    edit_draft,
    remove_statement,
    reword,
    save_revision,
)

ANCHOR = f"expectations:{STATEMENT}"


def test_comment_anchored_on_an_existing_element(review_round, revision, designer):
    comment = comment_create(round=review_round, user=designer, body=" Too vague. ", anchor=ANCHOR)

    assert (comment.anchor, comment.body, comment.author, comment.revision) == (
        ANCHOR,
        "Too vague.",
        designer,
        revision,
    )
    assert comment.parent is None
    entry = activity_list(review_round.framework).first()
    assert (entry.verb, entry.actor, entry.detail) == ("commented", designer, ANCHOR)


@pytest.mark.parametrize(
    "anchor", ["positions:role-1.l1", "competencies:comp-2", "levels:l3", "roles:role-1"]
)
def test_any_kind_of_element_can_be_commented_on(review_round, designer, anchor):
    assert comment_create(round=review_round, user=designer, body="Hm.", anchor=anchor).anchor


def test_comment_without_anchor_is_about_the_whole_framework(review_round, designer):
    comment = comment_create(round=review_round, user=designer, body="Looks good overall.")

    assert comment.anchor == ""
    assert activity_list(review_round.framework).first().detail == "the whole framework"


@pytest.mark.parametrize(
    "anchor", ["expectations:no-such-key", "nonsense:role-1", "role-1", "positions:"]
)
def test_comment_on_an_unknown_element_is_refused(review_round, designer, anchor):
    with pytest.raises(ValidationError) as excinfo:
        comment_create(round=review_round, user=designer, body="Hm.", anchor=anchor)

    assert "anchor" in excinfo.value.message_dict
    assert not Comment.objects.exists()


def test_empty_comment_is_refused(review_round, designer):
    with pytest.raises(ValidationError) as excinfo:
        comment_create(round=review_round, user=designer, body="  ", anchor=ANCHOR)

    assert "body" in excinfo.value.message_dict


def test_a_reply_joins_the_thread_of_its_first_comment(review_round, designer, editor, manager):
    first = comment_create(round=review_round, user=designer, body="Too vague.", anchor=ANCHOR)
    reply = comment_create(round=review_round, user=editor, body="Better?", parent=first)
    reply_to_reply = comment_create(round=review_round, user=manager, body="Yes.", parent=reply)

    assert reply.parent == first
    assert reply_to_reply.parent == first
    # A reply is about what its thread is about, whatever anchor is passed.
    assert reply.anchor == reply_to_reply.anchor == ANCHOR
    assert list(first.replies.all()) == [reply, reply_to_reply]


def test_a_reply_to_a_comment_of_another_round_is_refused(
    review_round, editor, designer, reviewers, due_on
):
    other = PublishedFrameworkFactory(editors=[editor])
    other_round = round_open(
        revision=save_revision(other, editor), user=editor, reviewers=reviewers, due_on=due_on
    )
    foreign = comment_create(round=other_round, user=designer, body="Elsewhere.")

    with pytest.raises(ValidationError, match="another round"):
        comment_create(round=review_round, user=designer, body="Reply.", parent=foreign)


def test_comments_on_a_closed_round_are_refused(review_round, editor, designer):
    first = comment_create(round=review_round, user=designer, body="Too vague.", anchor=ANCHOR)
    round_close(round=review_round, user=editor)

    with pytest.raises(ValidationError, match="closed"):
        comment_create(round=review_round, user=designer, body="Hello?", anchor=ANCHOR)
    with pytest.raises(ValidationError, match="closed"):
        comment_create(round=review_round, user=editor, body="Too late.", parent=first)
    assert Comment.objects.count() == 1


def test_resolving_a_thread_records_who_and_when(review_round, designer, editor):
    comment = comment_create(round=review_round, user=designer, body="Too vague.", anchor=ANCHOR)

    comment_resolve(comment=comment, user=editor)

    comment.refresh_from_db()
    assert comment.is_resolved
    assert comment.resolved_by == editor
    entry = activity_list(review_round.framework).first()
    assert (entry.verb, entry.actor, entry.detail) == ("comment_resolved", editor, ANCHOR)


def test_a_resolved_thread_can_be_reopened(review_round, designer, editor):
    comment = comment_create(round=review_round, user=designer, body="Too vague.", anchor=ANCHOR)
    comment_resolve(comment=comment, user=editor)

    comment_resolve(comment=comment, user=designer, resolved=False)

    comment.refresh_from_db()
    assert not comment.is_resolved
    assert comment.resolved_by is None


def test_a_reply_cannot_be_resolved_on_its_own(review_round, designer, editor):
    first = comment_create(round=review_round, user=designer, body="Too vague.", anchor=ANCHOR)
    reply = comment_create(round=review_round, user=editor, body="Better?", parent=first)

    with pytest.raises(ValidationError, match="Resolve the thread"):
        comment_resolve(comment=reply, user=editor)


# --- threads carried forward ------------------------------------------------------------


def test_threads_carried_forward_are_marked_when_their_element_changed_or_disappeared(
    framework, review_round, designer, editor
):
    changed = comment_create(round=review_round, user=designer, body="Vague.", anchor=ANCHOR)
    removed = comment_create(
        round=review_round,
        user=designer,
        body="Duplicate.",
        anchor=f"expectations:{SAME_CELL_STATEMENT}",
    )
    untouched = comment_create(
        round=review_round, user=designer, body="Fine.", anchor=f"expectations:{OTHER_STATEMENT}"
    )
    general = comment_create(round=review_round, user=designer, body="Nice work.")
    reply = comment_create(round=review_round, user=editor, body="Will fix.", parent=changed)
    edit_draft(framework, reword(STATEMENT, "Sharper wording."))
    edit_draft(framework, remove_statement(SAME_CELL_STATEMENT))
    r2 = save_revision(framework, editor, "Addressed the comments")
    round_advance(round=review_round, revision=r2, user=editor)
    fresh = comment_create(round=review_round, user=designer, body="Better.", anchor=ANCHOR)

    threads = round_threads(review_round, current=r2.document)

    assert [(t.comment, t.element_status, t.outdated) for t in threads] == [
        (changed, "changed", True),
        (removed, "removed", True),
        (untouched, None, False),
        (general, None, False),
        (fresh, None, False),  # made on r2 itself
    ]
    assert threads[0].replies == [reply]


def test_threads_on_the_current_revision_are_not_marked(review_round, designer, revision):
    comment_create(round=review_round, user=designer, body="Vague.", anchor=ANCHOR)

    (thread,) = round_threads(review_round, current=revision.document)

    assert thread.element_status is None
