"""Who may see and do what in review (DESIGN.md section 6), built on roles.access.

- Framework editors (and admins): everything — revisions, diffs, rounds, policy, publish.
- Reviewers of a round and their delegates: that round, the revisions it has been on (any
  revision up to the round's current one), diffs between them, comments and decisions.
- Everyone else, HR and leads included: 404. Drafts and unreleased revisions are not
  visible to non-editors, so a URL never reveals that they exist.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from reviews.models import Reviewer, ReviewRound, Revision
from roles.access import User, is_editor
from roles.models import Framework


def get_editable_framework_or_404(user: User, slug: str) -> Framework:
    framework = Framework.objects.filter(slug=slug).first()
    if framework is None or not is_editor(user, framework):
        raise Http404("No such framework.")
    return framework


def seats_for(user: User, round: ReviewRound) -> list[Reviewer]:
    """The reviewer seats ``user`` may act for in ``round``: their own and delegated ones."""
    if not user.is_authenticated:
        return []
    return [r for r in round.reviewers.all() if user.pk in (r.user_id, r.delegate_id)]


def reviewer_rounds(user: User):
    """Rounds in which ``user`` reviews or decides for someone."""
    if not user.is_authenticated:
        return ReviewRound.objects.none()
    return ReviewRound.objects.filter(
        Q(reviewers__user=user) | Q(reviewers__delegate=user)
    ).distinct()


def get_framework_for_review_or_404(user: User, slug: str) -> tuple[Framework, bool]:
    """A framework the user edits or reviews; returns it and whether they edit it."""
    framework = Framework.objects.filter(slug=slug).first()
    if framework is None:
        raise Http404("No such framework.")
    if is_editor(user, framework):
        return framework, True
    if reviewer_rounds(user).filter(framework=framework).exists():
        return framework, False
    raise Http404("No such framework.")


def get_round_or_404(user: User, slug: str, pk: int) -> tuple[ReviewRound, bool]:
    """The round, if the user edits its framework or reviews in it; and whether they edit."""
    round = (
        ReviewRound.objects.select_related("framework", "revision", "opened_by")
        .filter(pk=pk, framework__slug=slug)
        .first()
    )
    if round is None:
        raise Http404("No such review round.")
    if is_editor(user, round.framework):
        return round, True
    if reviewer_rounds(user).filter(pk=round.pk).exists():
        return round, False
    raise Http404("No such review round.")


def readable_revision_limit(user: User, framework: Framework, editor: bool) -> int | None:
    """The highest revision number the user may read (None: every revision)."""
    if editor:
        return None
    numbers = (
        reviewer_rounds(user).filter(framework=framework).values_list("revision__number", flat=True)
    )
    return max(numbers, default=0)


def get_revision_or_404(user: User, slug: str, number: int) -> tuple[Revision, bool]:
    framework, editor = get_framework_for_review_or_404(user, slug)
    limit = readable_revision_limit(user, framework, editor)
    if limit is not None and number > limit:
        raise Http404("No such revision.")
    revision = Revision.objects.filter(framework=framework, number=number).first()
    if revision is None:
        raise Http404("No such revision.")
    return revision, editor


def get_editable_round_or_404(user: User, slug: str, pk: int) -> ReviewRound:
    """The round, for its framework's editors only (reviewers included get 404)."""
    round, editor = get_round_or_404(user, slug, pk)
    if not editor:
        raise Http404("No such review round.")
    return round
