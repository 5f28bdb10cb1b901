"""Revisions, review rounds, feedback and decisions (DESIGN.md section 4).

A revision is an immutable snapshot of the draft's framework document. A review round asks
stakeholders to approve one revision; it may move on to newer revisions, and approvals
given to an older one go stale. Publishing is allowed when the framework's approval policy
is satisfied on the round's revision and the draft still has exactly that content.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roles.keys import KEY_MAX_LENGTH
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
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="stakeholder_groups",
        help_text=_("Offered as this group's reviewers when a review round is opened."),
    )

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
        default=False, help_text=_("Approves unless it objects by the due date.")
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
    OPEN = "open", _("Open")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed without publishing")


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
        return gettext("Review of %(framework)s %(revision)s") % {
            "framework": self.framework,
            "revision": self.revision.label,
        }

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
        help_text=_("Decides for this reviewer; the decision counts for the reviewer's group."),
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
    APPROVE = "approve", _("Approve")
    REQUEST_CHANGES = "request_changes", _("Request changes")


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
        return gettext("%(verdict)s on %(revision)s") % {
            "verdict": self.get_verdict_display(),
            "revision": self.revision.label,
        }


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
        return gettext("Comment on %(anchor)s") % {
            "anchor": self.anchor or gettext("the framework")
        }

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class ActivityVerb(models.TextChoices):
    REVISION_SAVED = "revision_saved", _("saved revision")
    REVISION_RESTORED = "revision_restored", _("restored revision")
    ROUND_OPENED = "round_opened", _("opened a review round")
    ROUND_ADVANCED = "round_advanced", _("moved the review to a new revision")
    ROUND_CLOSED = "round_closed", _("closed the review round")
    COMMENTED = "commented", _("commented")
    COMMENT_RESOLVED = "comment_resolved", _("resolved a comment")
    APPROVED = "approved", _("approved")
    CHANGES_REQUESTED = "changes_requested", _("requested changes")
    LAZY_APPROVAL = "lazy_approval", _("approved by lazy consensus")
    DELEGATED = "delegated", _("delegated their review")
    POLICY_CHANGED = "policy_changed", _("changed the approval policy")
    PUBLISHED = "published", _("published")
    REMINDED = "reminded", _("sent a reminder")


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
        verbose_name_plural = _("activity")

    def __str__(self) -> str:
        return f"{self.actor} {self.get_verb_display()}"


# --- promotion assessments (DESIGN.md section 5) ----------------------------------------------


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SELF_REVIEW = "self_review", _("Waiting for self-assessment")
    SUBMITTED = "submitted", _("Submitted to HR")
    DECIDED = "decided", _("Decided")


OPEN_ASSESSMENT_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.SELF_REVIEW)


class AssessmentDecision(models.TextChoices):
    PROMOTE = "promote", _("Promote")
    NOT_YET = "not_yet", _("Not yet")


class Rating(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_YET = "not_yet", _("Not yet")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def open(self) -> AssessmentQuerySet:
        """Still being written: the lead (or the person) can change it."""
        return self.filter(status__in=OPEN_ASSESSMENT_STATUSES)

    def undecided(self) -> AssessmentQuerySet:
        return self.exclude(status=AssessmentStatus.DECIDED)

    def decided(self) -> AssessmentQuerySet:
        return self.filter(status=AssessmentStatus.DECIDED)


class Assessment(models.Model):
    """A lead's assessment of one person against the promotion criteria of a target position,
    pinned to the published version it was started on (so later edits never rewrite it).

    Positions are named by role and level keys, like ``ladders.Person``: keys are stable
    across versions, which is what lets an open assessment move to a newer version.
    """

    person = models.ForeignKey(
        "ladders.Person", on_delete=models.PROTECT, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="assessments_made",
    )
    version = models.ForeignKey(
        "roles.FrameworkVersion", on_delete=models.PROTECT, related_name="assessments"
    )
    from_role_key = models.CharField(max_length=KEY_MAX_LENGTH)
    from_level_key = models.CharField(max_length=KEY_MAX_LENGTH)
    target_role_key = models.CharField(max_length=KEY_MAX_LENGTH)
    target_level_key = models.CharField(max_length=KEY_MAX_LENGTH)
    status = models.CharField(
        max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    self_assessment = models.BooleanField(
        default=False, help_text=_("The person was asked to rate themselves first.")
    )
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text=_("Markdown."))
    recommendation = models.CharField(max_length=16, choices=AssessmentDecision.choices, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=16, choices=AssessmentDecision.choices, blank=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One assessment in progress per person: two leads never assess in parallel.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["draft", "self_review", "submitted"]),
                name="reviews_assessment_one_in_progress",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values),
                name="reviews_assessment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(recommendation__in=["", *AssessmentDecision.values]),
                name="reviews_assessment_recommendation_valid",
            ),
            models.CheckConstraint(
                condition=~Q(
                    target_role_key=models.F("from_role_key"),
                    target_level_key=models.F("from_level_key"),
                ),
                name="reviews_assessment_target_differs",
            ),
            # A decision exists exactly when the assessment is decided; "not yet" says why.
            models.CheckConstraint(
                condition=Q(
                    status="decided",
                    decision__in=AssessmentDecision.values,
                    decided_at__isnull=False,
                    submitted_at__isnull=False,
                )
                | (
                    Q(decision="", decided_at__isnull=True)
                    & (
                        Q(status__in=["draft", "self_review"], submitted_at__isnull=True)
                        | Q(status="submitted", submitted_at__isnull=False)
                    )
                ),
                name="reviews_assessment_status_fields",
            ),
            models.CheckConstraint(
                condition=~Q(decision="not_yet", decision_note=""),
                name="reviews_assessment_not_yet_has_note",
            ),
            models.CheckConstraint(
                condition=~Q(status="self_review", self_assessment=False)
                & ~Q(self_submitted_at__isnull=False, self_assessment=False),
                name="reviews_assessment_self_review_fields",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Assessment #%(number)s of %(person)s") % {
            "number": self.pk,
            "person": self.person,
        }

    @property
    def from_position_key(self) -> str:
        return f"{self.from_role_key}.{self.from_level_key}"

    @property
    def target_position_key(self) -> str:
        return f"{self.target_role_key}.{self.target_level_key}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ASSESSMENT_STATUSES

    @property
    def is_decided(self) -> bool:
        return self.status == AssessmentStatus.DECIDED


class CriterionRating(models.Model):
    """The lead's (and, when asked, the person's own) rating of one promotion criterion,
    named by its stable key so it survives a move to a newer version."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    criterion_key = models.CharField(max_length=KEY_MAX_LENGTH)
    rating = models.CharField(max_length=16, choices=Rating.choices, default=Rating.NOT_ASSESSED)
    evidence = models.TextField(blank=True, help_text=_("Markdown."))
    self_rating = models.CharField(
        max_length=16, choices=Rating.choices, default=Rating.NOT_ASSESSED
    )
    self_evidence = models.TextField(blank=True, help_text=_("Markdown."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion_key"], name="reviews_rating_unique_criterion"
            ),
            models.CheckConstraint(
                condition=Q(rating__in=Rating.values) & Q(self_rating__in=Rating.values),
                name="reviews_rating_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_key}: {self.get_rating_display()}"

    @property
    def differs(self) -> bool:
        """The person and the lead rated this criterion differently (both rated it)."""
        rated = Rating.NOT_ASSESSED not in (self.rating, self.self_rating)
        return rated and self.rating != self.self_rating


class EvidenceKind(models.TextChoices):
    LINK = "link", _("Link")
    OKR = "okr", _("OKR contribution")
    GOAL = "goal", _("Development-plan goal")
    NOTE = "note", _("Note")


class EvidenceItem(models.Model):
    """One piece of evidence for a rating: a link, an OKR contribution, a development-plan
    goal or a short note. ``by_self`` marks what the person added in their self-assessment."""

    rating = models.ForeignKey(CriterionRating, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=8, choices=EvidenceKind.choices, default=EvidenceKind.LINK)
    title = models.CharField(max_length=300)
    url = models.URLField(
        max_length=500, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    by_self = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="reviews_evidence_title"),
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="reviews_evidence_kind_valid"
            ),
            # Only web links reach an href: never javascript: or data: URLs.
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="reviews_evidence_url_scheme",
            ),
            models.CheckConstraint(
                condition=~Q(kind="link", url=""), name="reviews_evidence_link_has_url"
            ),
        ]

    def __str__(self) -> str:
        return self.title
