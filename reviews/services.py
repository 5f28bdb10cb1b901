"""Writes of the review workflow (STYLE.md section 2): each one atomic and logged."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews import notify
from reviews.models import (
    Activity,
    ActivityVerb,
    ApprovalRule,
    Comment,
    Decision,
    Reviewer,
    ReviewRound,
    Revision,
    RoundStatus,
    StakeholderGroup,
    Verdict,
)
from reviews.policy import PolicyStatus
from reviews.selectors import anchor_exists, policy_status
from roles.document import Document, document_sha256
from roles.models import Framework, FrameworkVersion
from roles.serialization import document_from_version
from roles.services import draft_get, draft_replace, version_publish


class PublishBlocked(Exception):
    """Publishing is not allowed yet; ``reasons`` says what is missing."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def _log(
    framework: Framework,
    actor: AbstractBaseUser | None,
    verb: str,
    *,
    round: ReviewRound | None = None,
    revision: Revision | None = None,
    detail: str = "",
) -> None:
    Activity.objects.create(
        framework=framework,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        round=round,
        revision=revision,
        detail=detail[:500],
    )


def draft_document(framework: Framework) -> tuple[Document, str]:
    """The draft's document as stored in its rows, and its SHA-256."""
    document = document_from_version(draft_get(framework=framework))
    return document, document_sha256(document)


# --- revisions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    revision: Revision
    created: bool


def revision_save(*, framework: Framework, user: AbstractBaseUser, summary: str) -> SaveResult:
    """Store the draft as the next revision; identical content returns the existing one."""
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": _("Say in a few words what changed.")})
    with transaction.atomic():
        Framework.objects.select_for_update().get(pk=framework.pk)
        document, sha = draft_document(framework)
        existing = Revision.objects.filter(framework=framework, sha256=sha).first()
        if existing is not None:
            return SaveResult(existing, created=False)
        parent = Revision.objects.filter(framework=framework).order_by("-number").first()
        revision = Revision.objects.create(
            framework=framework,
            number=(parent.number + 1) if parent else 1,
            parent=parent,
            document=document,
            sha256=sha,
            author=user,
            summary=summary,
        )
        _log(framework, user, ActivityVerb.REVISION_SAVED, revision=revision, detail=summary)
    return SaveResult(revision, created=True)


def revision_restore(*, revision: Revision, user: AbstractBaseUser) -> SaveResult | None:
    """Replace the draft with ``revision``'s content, saving the draft first if it differs
    from every stored revision (so nothing is lost). Returns that safety save, if any."""
    framework = revision.framework
    with transaction.atomic():
        _document, sha = draft_document(framework)
        backup = None
        if sha != revision.sha256:
            backup = revision_save(
                framework=framework,
                user=user,
                summary=f"Draft before restoring {revision.label}",
            )
        draft_replace(framework=framework, document=revision.document)
        _log(framework, user, ActivityVerb.REVISION_RESTORED, revision=revision)
    return backup


# --- rounds ------------------------------------------------------------------------------


def round_open(
    *,
    revision: Revision,
    user: AbstractBaseUser,
    reviewers: list[tuple[AbstractBaseUser, StakeholderGroup]],
    due_on: datetime.date,
    message: str = "",
) -> ReviewRound:
    framework = revision.framework
    if not reviewers:
        raise ValidationError({"reviewers": _("Pick at least one reviewer.")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date is in the past.")})
    users = [u.pk for u, _group in reviewers]
    if len(set(users)) != len(users):
        raise ValidationError({"reviewers": _("Each person can hold only one seat in a round.")})
    try:
        with transaction.atomic():
            round = ReviewRound.objects.create(
                framework=framework,
                revision=revision,
                opened_by=user,
                due_on=due_on,
                message=message.strip(),
            )
            Reviewer.objects.bulk_create(
                Reviewer(round=round, user=u, group=g) for u, g in reviewers
            )
            _log(
                framework,
                user,
                ActivityVerb.ROUND_OPENED,
                round=round,
                revision=revision,
                detail=f"{len(reviewers)} reviewer(s), due {due_on:%d %b %Y}",
            )
            notify.round_opened(round)
    except IntegrityError:
        raise ValidationError(
            _(
                "A review round is already open for this framework; close it or move it to the "
                "new revision instead."
            )
        ) from None
    return round


def _lock_open_round(round: ReviewRound) -> ReviewRound:
    locked = ReviewRound.objects.select_for_update().select_related("revision").get(pk=round.pk)
    if locked.status != RoundStatus.OPEN:
        raise ValidationError(
            _("This review round is %(status)s.") % {"status": locked.get_status_display().lower()}
        )
    return locked


def round_advance(*, round: ReviewRound, revision: Revision, user: AbstractBaseUser) -> None:
    """Move an open round to a newer revision; earlier approvals become stale."""
    if revision.framework_id != round.framework_id:
        raise ValidationError(_("That revision belongs to another framework."))
    with transaction.atomic():
        locked = _lock_open_round(round)
        if revision.number <= locked.revision.number:
            raise ValidationError(
                _("The round is on %(revision)s; pick a newer revision.")
                % {"revision": locked.revision.label}
            )
        previous = locked.revision
        locked.revision = revision
        locked.save(update_fields=["revision"])
        _log(
            round.framework,
            user,
            ActivityVerb.ROUND_ADVANCED,
            round=locked,
            revision=revision,
            detail=f"from {previous.label} to {revision.label}",
        )
        notify.round_advanced(locked, previous)
    round.refresh_from_db()


def round_close(*, round: ReviewRound, user: AbstractBaseUser) -> None:
    with transaction.atomic():
        locked = _lock_open_round(round)
        locked.status = RoundStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        _log(round.framework, user, ActivityVerb.ROUND_CLOSED, round=locked)
    round.refresh_from_db()


def round_publish(
    *, round: ReviewRound, user: AbstractBaseUser, today: datetime.date | None = None
) -> FrameworkVersion:
    """Publish the round's revision: the policy must be satisfied on the latest revision and
    the draft must hold exactly that revision's content. Closes the round."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock_open_round(round)
        status = policy_status(locked, today=today)
        reasons = publish_blockers(locked, today=today, status=status)
        if reasons:
            raise PublishBlocked(reasons)
        for group in status.groups:
            if group.by_lazy_consensus:
                _log(
                    round.framework,
                    None,
                    ActivityVerb.LAZY_APPROVAL,
                    round=locked,
                    revision=locked.revision,
                    detail=f"{group.rule.group_name}: no objection by {locked.due_on:%d %b %Y}",
                )
        version = version_publish(
            framework=round.framework, user=user, from_revision=locked.revision.number
        )
        locked.status = RoundStatus.PUBLISHED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        _log(
            round.framework,
            user,
            ActivityVerb.PUBLISHED,
            round=locked,
            revision=locked.revision,
            detail=f"{locked.revision.label} as v{version.number}",
        )
        notify.round_published(locked, version, actor=user)
    round.refresh_from_db()
    return version


def publish_blockers(
    round: ReviewRound, *, today: datetime.date, status: PolicyStatus | None = None
) -> list[str]:
    """Everything that stands between ``round`` and publishing, in plain words."""
    reasons: list[str] = []
    if round.status != RoundStatus.OPEN:
        return [
            _("This review round is %(status)s.") % {"status": round.get_status_display().lower()}
        ]
    latest = Revision.objects.filter(framework_id=round.framework_id).order_by("-number").first()
    if latest is not None and latest.pk != round.revision_id:
        reasons.append(
            _(
                "A newer revision (%(revision)s) exists: move the round to it so the reviewers "
                "see it, or restore the draft to the revision under review."
            )
            % {"revision": latest.label}
        )
    _document, sha = draft_document(round.framework)
    if sha != round.revision.sha256:
        reasons.append(
            _(
                "The draft has changed since %(revision)s: save a revision and move the "
                "round to it, or restore %(revision)s into the draft."
            )
            % {"revision": round.revision.label}
        )
    status = status if status is not None else policy_status(round, today=today)
    reasons.extend(status.blockers)
    return reasons


# --- feedback and decisions --------------------------------------------------------------


def comment_create(
    *,
    round: ReviewRound,
    user: AbstractBaseUser,
    body: str,
    anchor: str = "",
    parent: Comment | None = None,
) -> Comment:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if round.status != RoundStatus.OPEN:
        raise ValidationError(_("This review round is closed; comments are read-only."))
    if parent is not None:
        if parent.round_id != round.pk:
            raise ValidationError(_("That comment belongs to another round."))
        parent = parent.parent or parent  # replies always join the thread's first comment
        anchor = parent.anchor
    elif anchor and not anchor_exists(round.revision.document, anchor):
        raise ValidationError(
            {
                "anchor": _("There is no element %(anchor)s in %(revision)s.")
                % {"anchor": repr(anchor), "revision": round.revision.label}
            }
        )
    with transaction.atomic():
        comment = Comment.objects.create(
            round=round,
            revision=round.revision,
            anchor=anchor,
            parent=parent,
            author=user,
            body=body,
        )
        _log(
            round.framework,
            user,
            ActivityVerb.COMMENTED,
            round=round,
            revision=round.revision,
            detail=anchor or "the whole framework",
        )
        notify.comment_created(comment)
    return comment


def comment_resolve(*, comment: Comment, user: AbstractBaseUser, resolved: bool = True) -> None:
    if comment.parent_id is not None:
        raise ValidationError(_("Resolve the thread, not a reply."))
    with transaction.atomic():
        comment.resolved_by = user if resolved else None
        comment.resolved_at = timezone.now() if resolved else None
        comment.save(update_fields=["resolved_by", "resolved_at"])
        if resolved:
            _log(
                comment.round.framework,
                user,
                ActivityVerb.COMMENT_RESOLVED,
                round=comment.round,
                detail=comment.anchor or "the whole framework",
            )


def decision_record(
    *,
    round: ReviewRound,
    seat: Reviewer,
    user: AbstractBaseUser,
    verdict: str,
    note: str = "",
) -> Decision:
    """``user`` (the reviewer or their delegate) decides on the round's current revision."""
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose approve or request changes.")})
    if user.pk not in (seat.user_id, seat.delegate_id) or seat.round_id != round.pk:
        raise ValidationError(_("You cannot decide for this reviewer."))
    if verdict == Verdict.REQUEST_CHANGES and not note.strip():
        raise ValidationError({"note": _("Say what needs to change.")})
    with transaction.atomic():
        locked = _lock_open_round(round)
        decision = Decision.objects.create(
            round=locked,
            reviewer=seat,
            revision=locked.revision,
            verdict=verdict,
            note=note.strip(),
            decided_by=user,
        )
        Reviewer.objects.filter(pk=seat.pk).update(last_seen_revision=locked.revision)
        on_behalf = f" for {seat.user}" if user.pk != seat.user_id else ""
        _log(
            round.framework,
            user,
            ActivityVerb.APPROVED if verdict == Verdict.APPROVE else ActivityVerb.CHANGES_REQUESTED,
            round=locked,
            revision=locked.revision,
            detail=f"{seat.group}{on_behalf}",
        )
    return decision


def reviewer_mark_seen(*, seat: Reviewer, revision: Revision) -> None:
    if seat.last_seen_revision_id != revision.pk:
        Reviewer.objects.filter(pk=seat.pk).update(last_seen_revision=revision)
        seat.last_seen_revision = revision


def reviewer_delegate(
    *, seat: Reviewer, delegate: AbstractBaseUser | None, user: AbstractBaseUser
) -> None:
    if user.pk != seat.user_id:
        raise ValidationError(_("Only the reviewer can delegate their review."))
    if delegate is not None and delegate.pk == seat.user_id:
        raise ValidationError({"delegate": _("You cannot delegate to yourself.")})
    with transaction.atomic():
        _lock_open_round(seat.round)
        if delegate is not None and (
            Reviewer.objects.filter(round=seat.round)
            .exclude(pk=seat.pk)
            .filter(Q(user=delegate) | Q(delegate=delegate))
            .exists()
        ):
            # One person, one voice: they would otherwise count twice for a group.
            raise ValidationError(
                {
                    "delegate": _("%(delegate)s already decides in this round; pick someone else.")
                    % {"delegate": delegate}
                }
            )
        seat.delegate = delegate
        seat.save(update_fields=["delegate"])
        detail = f"to {delegate}" if delegate else "delegation withdrawn"
        _log(seat.round.framework, user, ActivityVerb.DELEGATED, round=seat.round, detail=detail)
        if delegate is not None:
            notify.delegated(seat)


# --- approval policy ---------------------------------------------------------------------


def policy_set(
    *,
    framework: Framework,
    user: AbstractBaseUser,
    rules: list[tuple[StakeholderGroup, int, bool]],
) -> list[ApprovalRule]:
    """Replace the framework's approval policy: (group, approvals needed, lazy consensus)."""
    groups = [g.pk for g, _n, _lazy in rules]
    if len(set(groups)) != len(groups):
        raise ValidationError(_("Each stakeholder group can appear once in the policy."))
    if any(n < 1 for _group, n, _lazy in rules):
        raise ValidationError(_("A group needs at least one approval."))
    with transaction.atomic():
        ApprovalRule.objects.filter(framework=framework).delete()
        created = ApprovalRule.objects.bulk_create(
            ApprovalRule(framework=framework, group=g, approvals=n, lazy_consensus=lazy)
            for g, n, lazy in rules
        )
        summary = "; ".join(
            f"{g.name} ×{n}{' (lazy consensus)' if lazy else ''}" for g, n, lazy in rules
        )
        _log(framework, user, ActivityVerb.POLICY_CHANGED, detail=summary or "no rules")
    return created


# --- reminders ---------------------------------------------------------------------------


def reminders_send(*, today: datetime.date, days_ahead: int = 2) -> int:
    """Email every reviewer of an open round due within ``days_ahead`` days (or overdue) who
    has not decided on its current revision; at most once a day each. Returns how many."""
    horizon = today + datetime.timedelta(days=days_ahead)
    seats = (
        Reviewer.objects.filter(round__status=RoundStatus.OPEN, round__due_on__lte=horizon)
        .exclude(last_reminded_on=today)
        .select_related(
            "round__framework", "round__revision", "user", "delegate", "group", "last_seen_revision"
        )
    )
    sent = 0
    for seat in seats:
        decided = Decision.objects.filter(reviewer=seat, revision=seat.round.revision).exists()
        if decided:
            continue
        with transaction.atomic():
            # Claim the seat for today first: a second run the same day sends nothing.
            claimed = (
                Reviewer.objects.filter(pk=seat.pk)
                .exclude(last_reminded_on=today)
                .update(last_reminded_on=today)
            )
            if not claimed:
                continue
            _log(
                seat.round.framework,
                None,
                ActivityVerb.REMINDED,
                round=seat.round,
                detail=f"{seat.user} ({seat.group})",
            )
            notify.reminder(seat, today=today)
        sent += 1
    return sent
