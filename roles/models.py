"""The framework content model (DESIGN.md section 3).

Every content row belongs to one FrameworkVersion (the editable draft or a frozen
published version) and carries a stable ``key`` that survives across versions, so
revisions can be diffed and comments anchored. ``order`` is the element's position in
the framework document (the author's order); ``Level.rank`` is seniority within a track.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roles.keys import KEY_MAX_LENGTH, validate_key


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public (anyone, without logging in)")
    MEMBERS = "members", _("Members (logged-in users)")


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def visible_to(self, user) -> FrameworkQuerySet:
        """Frameworks whose published versions ``user`` may read (DESIGN.md section 6)."""
        if user.is_authenticated:
            return self
        return self.filter(visibility=Visibility.PUBLIC)

    def with_published(self) -> FrameworkQuerySet:
        return self.filter(versions__status=VersionStatus.PUBLISHED).distinct()


class Framework(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="edited_frameworks"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published (current)")
    ARCHIVED = "archived", _("Archived (superseded)")


class FrameworkVersionQuerySet(models.QuerySet["FrameworkVersion"]):
    def published(self) -> FrameworkVersionQuerySet:
        """Versions that were published, current or superseded."""
        return self.exclude(status=VersionStatus.DRAFT)

    def current(self) -> FrameworkVersionQuerySet:
        return self.filter(status=VersionStatus.PUBLISHED)

    def drafts(self) -> FrameworkVersionQuerySet:
        return self.filter(status=VersionStatus.DRAFT)


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=VersionStatus.choices)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Number of the review revision this version was published from (reviews app).
    from_revision = models.PositiveIntegerField(null=True, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    # Optimistic locking of the draft: bumped on every write to its content.
    lock_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "-number"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="roles_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["framework"],
                condition=Q(status="draft"),
                name="roles_version_one_draft",
            ),
            models.UniqueConstraint(
                fields=["framework"],
                condition=Q(status="published"),
                name="roles_version_one_current",
            ),
            # A reviewed revision is published once, whatever races (reviews app).
            models.UniqueConstraint(
                fields=["framework", "from_revision"],
                condition=Q(from_revision__isnull=False),
                name="roles_version_revision_published_once",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="draft", number__isnull=True, published_at__isnull=True)
                    | Q(
                        status__in=["published", "archived"],
                        number__isnull=False,
                        published_at__isnull=False,
                    )
                ),
                name="roles_version_status_fields",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.label}"

    @property
    def label(self) -> str:
        return "draft" if self.number is None else f"v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_current(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class VersionContent(models.Model):
    """Fields every content row has: its version, stable key, and document order."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=KEY_MAX_LENGTH, validators=[validate_key])
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="%(app_label)s_%(class)s_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.key


class Track(VersionContent):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(max_length=200)
    forks_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="forks"
    )

    class Meta(VersionContent.Meta):
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            *VersionContent.Meta.constraints,
            models.CheckConstraint(condition=~Q(name=""), name="roles_track_name_not_empty"),
        ]

    def clean(self) -> None:
        if self.forks_from_id and self.forks_from.version_id != self.version_id:
            raise ValidationError(
                {"forks_from": gettext("A track can only fork from a track of its version.")}
            )


class Role(VersionContent):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta(VersionContent.Meta):
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            *VersionContent.Meta.constraints,
            models.CheckConstraint(condition=~Q(name=""), name="roles_role_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class SubRole(VersionContent):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="sub_roles"
    )
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="sub_roles")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta(VersionContent.Meta):
        verbose_name = _("sub role")
        verbose_name_plural = _("sub roles")
        constraints = [
            *VersionContent.Meta.constraints,
            models.UniqueConstraint(fields=["role", "name"], name="roles_subrole_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="roles_subrole_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Level(VersionContent):
    """A rung of a ladder: shared by every role (``role`` empty) or specific to one role."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="levels")
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.CASCADE, related_name="levels"
    )
    role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.CASCADE, related_name="own_levels"
    )
    code = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=200)
    rank = models.PositiveIntegerField(help_text=_("Seniority within the track, 1 = most junior."))
    summary = models.TextField(blank=True)

    class Meta(VersionContent.Meta):
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        # Rank is unique within a track and role scope. NULL track/role would make a plain
        # unique constraint toothless, so each combination gets its own partial constraint.
        constraints = [
            *VersionContent.Meta.constraints,
            models.CheckConstraint(condition=~Q(name=""), name="roles_level_name_not_empty"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="roles_level_rank_positive"),
            models.UniqueConstraint(
                fields=["version", "rank"],
                condition=Q(track__isnull=True, role__isnull=True),
                name="roles_level_rank_unique_shared",
            ),
            models.UniqueConstraint(
                fields=["version", "track", "rank"],
                condition=Q(track__isnull=False, role__isnull=True),
                name="roles_level_rank_unique_shared_track",
            ),
            models.UniqueConstraint(
                fields=["version", "role", "rank"],
                condition=Q(track__isnull=True, role__isnull=False),
                name="roles_level_rank_unique_role",
            ),
            models.UniqueConstraint(
                fields=["version", "track", "role", "rank"],
                condition=Q(track__isnull=False, role__isnull=False),
                name="roles_level_rank_unique_role_track",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        for field in ("track", "role"):
            related = getattr(self, field)
            if related is not None and related.version_id != self.version_id:
                raise ValidationError(
                    {field: gettext("Must belong to the same framework version.")}
                )


class Position(VersionContent):
    """One job definition: a role at a level, with the title used for that role."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="positions"
    )
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="positions")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta(VersionContent.Meta):
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            *VersionContent.Meta.constraints,
            models.UniqueConstraint(fields=["role", "level"], name="roles_position_unique_cell"),
            models.CheckConstraint(condition=~Q(title=""), name="roles_position_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.role.version_id != self.version_id or self.level.version_id != self.version_id:
            raise ValidationError(gettext("Role and level must belong to the position's version."))
        if self.level.role_id not in (None, self.role_id):
            raise ValidationError({"level": gettext("This level belongs to another role.")})


class Competency(VersionContent):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="competencies"
    )
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    role = models.ForeignKey(
        Role,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_competencies",
        help_text=_("Empty when the competency is shared by every role."),
    )

    class Meta(VersionContent.Meta):
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            *VersionContent.Meta.constraints,
            models.CheckConstraint(condition=~Q(name=""), name="roles_competency_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Expectation(VersionContent):
    """One statement of what is expected of a position in a competency."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="expectations"
    )
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="expectations")
    sub_role = models.ForeignKey(
        SubRole,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="expectations",
        help_text=_("Empty when the statement applies to every sub-role."),
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="expectations"
    )
    text = models.TextField(help_text=_("Markdown."))

    class Meta(VersionContent.Meta):
        verbose_name = _("expectation")
        verbose_name_plural = _("expectations")
        constraints = [
            *VersionContent.Meta.constraints,
            models.CheckConstraint(condition=~Q(text=""), name="roles_expectation_text_not_empty"),
        ]

    def clean(self) -> None:
        if not self.text.strip():
            raise ValidationError({"text": gettext("A statement cannot be empty.")})
        if self.competency.role_id not in (None, self.position.role_id):
            raise ValidationError(
                {"competency": gettext("This competency belongs to another role.")}
            )
        if self.sub_role_id and self.sub_role.role_id != self.position.role_id:
            raise ValidationError({"sub_role": gettext("This sub-role belongs to another role.")})


class PromotionCriterion(VersionContent):
    """What must be shown to be promoted *to* ``position``."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="criteria")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="criteria")
    text = models.TextField(help_text=_("Markdown."))
    required = models.BooleanField(default=True)
    evidence_hint = models.TextField(blank=True)

    class Meta(VersionContent.Meta):
        verbose_name = _("promotion criterion")
        verbose_name_plural = _("promotion criteria")
        constraints = [
            *VersionContent.Meta.constraints,
            models.CheckConstraint(condition=~Q(text=""), name="roles_criterion_text_not_empty"),
        ]


class PathKind(models.TextChoices):
    PROMOTION = "promotion", _("Promotion")
    LATERAL = "lateral", _("Lateral move")
    TRACK_SWITCH = "track_switch", _("Track switch")


class PathStep(VersionContent):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="path_steps"
    )
    from_position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="steps_out")
    to_position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="steps_in")
    kind = models.CharField(max_length=16, choices=PathKind.choices)
    note = models.TextField(blank=True)

    class Meta(VersionContent.Meta):
        verbose_name = _("path step")
        verbose_name_plural = _("path steps")
        constraints = [
            *VersionContent.Meta.constraints,
            models.UniqueConstraint(
                fields=["from_position", "to_position"], name="roles_pathstep_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(from_position=models.F("to_position")),
                name="roles_pathstep_not_a_loop",
            ),
        ]

    def clean(self) -> None:
        if (
            self.from_position.version_id != self.version_id
            or self.to_position.version_id != self.version_id
        ):
            raise ValidationError(gettext("A path step must stay within one framework version."))


class PendingImport(models.Model):
    """An uploaded framework file, parsed, waiting for its editor to confirm (``roles.io``).

    It never touches the draft: confirming replaces the draft with ``document_json`` and
    deletes the row. Kept in the database so that any app server can read it back; the
    browser holds only the random ``token``, which is checked against user and framework.
    """

    token = models.CharField(max_length=64, unique=True)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=8)
    document_json = models.TextField()  # the parsed document, canonical JSON
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")

    def __str__(self) -> str:
        return f"{self.filename} for {self.framework}"
