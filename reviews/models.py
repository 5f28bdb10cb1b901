"""Revisions, review rounds, feedback and decisions (DESIGN.md section 4).

A revision is an immutable snapshot of the draft's framework document. A review round asks
stakeholders to approve one revision; it may move on to newer revisions, and approvals
given to an older one go stale. Publishing is allowed when the framework's approval policy
is satisfied on the round's revision and the draft still has exactly that content.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from roles.models import Framework


class Revision(models.Model):
    """A numbered, immutable snapshot of a framework's draft (its framework document)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    document = models.JSONField()
    sha256 = models.CharField(max_length=64)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="reviews_revision_unique_number"
            ),
            # Identical content is never stored twice.
            models.UniqueConstraint(
                fields=["framework", "sha256"], name="reviews_revision_unique_content"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="reviews_revision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.label}"

    @property
    def label(self) -> str:
        return f"r{self.number}"


class StakeholderGroup(models.Model):
    """A group whose approval a framework may need: "UX Leads", "HR", "Management"…"""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApprovalRule(models.Model):
    """One line of a framework's approval policy: ``group`` must give ``approvals`` approvals.

    With ``lazy_consensus`` the group approves unless one of its reviewers requests changes
    before the round's due date.
    """

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="approval_rules"
    )
    group = models.ForeignKey(StakeholderGroup, on_delete=models.PROTECT, related_name="rules")
    approvals = models.PositiveSmallIntegerField(default=1)
    lazy_consensus = models.BooleanField(
        default=False, help_text="Approves unless it objects by the due date."
    )

    class Meta:
        ordering = ["group__name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "group"], name="reviews_rule_unique"),
            models.CheckConstraint(condition=Q(approvals__gte=1), name="reviews_rule_approvals"),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.approvals}"


class RoundStatus(models.TextChoices):
    OPEN = "open", "Open"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed without publishing"


class ReviewRoundQuerySet(models.QuerySet["ReviewRound"]):
    def open(self) -> ReviewRoundQuerySet:
        return self.filter(status=RoundStatus.OPEN)


class ReviewRound(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="rounds")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="rounds")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            # One open round per framework: reviewers always know which one to look at.
            models.UniqueConstraint(
                fields=["framework"], condition=Q(status="open"), name="reviews_round_one_open"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status__in=["published", "closed"], closed_at__isnull=False),
                name="reviews_round_status_fields",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.framework} {self.revision.label}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class Reviewer(models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_seats"
    )
    group = models.ForeignKey(StakeholderGroup, on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegated_seats",
        help_text="Decides for this reviewer; the decision counts for the reviewer's group.",
    )
    # What the reviewer has seen: later they are shown only what changed since.
    last_seen_revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["group__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="reviews_reviewer_unique"),
            models.CheckConstraint(
                condition=~Q(delegate=models.F("user")), name="reviews_reviewer_not_own_delegate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.group})"


class Verdict(models.TextChoices):
    APPROVE = "approve", "Approve"
    REQUEST_CHANGES = "request_changes", "Request changes"


class Decision(models.Model):
    """A reviewer's verdict on one revision. The latest one per reviewer counts."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="decisions")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="decisions")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="decisions")
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} on {self.revision.label}"


class Comment(models.Model):
    """Feedback on one element of a revision (``anchor`` = ``kind:key``) or, with an empty
    anchor, on the whole framework. Replies point at their thread's first comment."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="comments")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="comments")
    anchor = models.CharField(max_length=300, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="reviews_comment_body_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Comment on {self.anchor or 'the framework'}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class ActivityVerb(models.TextChoices):
    REVISION_SAVED = "revision_saved", "saved revision"
    REVISION_RESTORED = "revision_restored", "restored revision"
    ROUND_OPENED = "round_opened", "opened a review round"
    ROUND_ADVANCED = "round_advanced", "moved the review to a new revision"
    ROUND_CLOSED = "round_closed", "closed the review round"
    COMMENTED = "commented", "commented"
    COMMENT_RESOLVED = "comment_resolved", "resolved a comment"
    APPROVED = "approved", "approved"
    CHANGES_REQUESTED = "changes_requested", "requested changes"
    LAZY_APPROVAL = "lazy_approval", "approved by lazy consensus"
    DELEGATED = "delegated", "delegated their review"
    POLICY_CHANGED = "policy_changed", "changed the approval policy"
    PUBLISHED = "published", "published"
    REMINDED = "reminded", "sent a reminder"


class Activity(models.Model):
    """The framework's log: who did what, when. Written by the services, never edited."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=32, choices=ActivityVerb.choices)
    round = models.ForeignKey(
        ReviewRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="activity"
    )
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "activity"

    def __str__(self) -> str:
        return f"{self.actor} {self.get_verb_display()}"
