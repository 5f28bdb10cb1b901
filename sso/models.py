"""Who someone is at the identity provider, and what its groups grant here.

``Identity`` ties a user to the provider's (issuer, subject) pair: the only stable, unique
name a provider gives a person (emails change and get reused). ``GroupMapping`` says what a
value of the groups claim grants; ``Grant`` records what single sign-on granted, so that a
later login revokes exactly that and never a membership someone gave by hand.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reviews.models import StakeholderGroup
from roles.models import Framework


class Identity(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    issuer = models.CharField(
        _("issuer"), max_length=255, help_text=_("The provider's issuer URL.")
    )
    subject = models.CharField(
        _("subject"),
        max_length=255,
        help_text=_("The provider's identifier for this person (the “sub” claim)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last single sign-on"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        ordering = ["issuer", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"],
                name="sso_identity_unique",
                violation_error_message=_("This subject is already linked to a user."),
            ),
            models.CheckConstraint(
                condition=~Q(issuer="") & ~Q(subject=""), name="sso_identity_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


class TargetKind(models.TextChoices):
    HR = "hr", _("the HR group")
    LEADS = "leads", _("the Leads group")
    FRAMEWORK_EDITOR = "framework_editor", _("editor of a framework")
    STAKEHOLDER_GROUP = "stakeholder_group", _("member of a stakeholder group")


# The database form of "the fields match the kind", shared by GroupMapping and Grant.
_TARGET_MATCHES_KIND = (
    Q(
        target__in=[TargetKind.HR, TargetKind.LEADS],
        framework__isnull=True,
        stakeholder_group__isnull=True,
    )
    | Q(
        target=TargetKind.FRAMEWORK_EDITOR,
        framework__isnull=False,
        stakeholder_group__isnull=True,
    )
    | Q(
        target=TargetKind.STAKEHOLDER_GROUP,
        framework__isnull=True,
        stakeholder_group__isnull=False,
    )
)
# Neither a framework nor a stakeholder group: the HR or Leads group.
_NO_OBJECT = Q(framework__isnull=True, stakeholder_group__isnull=True)


def _target_constraints(
    holder: str, prefix: str, message: str | None = None
) -> list[models.BaseConstraint]:
    """What GroupMapping and Grant both enforce: the fields match the kind, and each
    ``holder`` (a claim value, a user) has a target at most once. ``message``: what a form
    says on a duplicate."""
    extra = {"violation_error_message": message} if message else {}
    return [
        models.CheckConstraint(
            condition=_TARGET_MATCHES_KIND, name=f"{prefix}_target_matches_kind"
        ),
        models.UniqueConstraint(
            fields=[holder, "target"],
            condition=_NO_OBJECT,
            name=f"{prefix}_unique_group",
            **extra,
        ),
        models.UniqueConstraint(
            fields=[holder, "framework"],
            condition=Q(framework__isnull=False),
            name=f"{prefix}_unique_framework",
            **extra,
        ),
        models.UniqueConstraint(
            fields=[holder, "stakeholder_group"],
            condition=Q(stakeholder_group__isnull=False),
            name=f"{prefix}_unique_stakeholder_group",
            **extra,
        ),
    ]


class GroupMapping(models.Model):
    """A value of the groups claim (``OIDC_GROUPS_CLAIM``) and what it grants at each login."""

    claim_value = models.CharField(
        _("claim value"),
        max_length=255,
        help_text=_(
            "A value of the groups claim, exactly as the provider sends it (e.g. design-hr)."
        ),
    )
    target = models.CharField(_("grants"), max_length=32, choices=TargetKind.choices)
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only for “editor of a framework”: the framework."),
    )
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        verbose_name=_("stakeholder group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only for “member of a stakeholder group”: the group."),
    )

    class Meta:
        verbose_name = _("group mapping")
        verbose_name_plural = _("group mappings")
        ordering = ["claim_value", "target"]
        constraints = [
            *_target_constraints(
                "claim_value", "sso_mapping", _("This claim value already grants that.")
            ),
            models.CheckConstraint(condition=~Q(claim_value=""), name="sso_mapping_claim_value"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_value} → {_target_label(self)}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        needs_framework = self.target == TargetKind.FRAMEWORK_EDITOR
        if needs_framework and self.framework_id is None:
            errors["framework"] = _("Choose the framework this grants editing of.")
        if not needs_framework and self.framework_id is not None:
            errors["framework"] = _("Leave this empty: only “editor of a framework” takes one.")
        needs_group = self.target == TargetKind.STAKEHOLDER_GROUP
        if needs_group and self.stakeholder_group_id is None:
            errors["stakeholder_group"] = _(
                "Choose the stakeholder group this grants membership of."
            )
        if not needs_group and self.stakeholder_group_id is not None:
            errors["stakeholder_group"] = _(
                "Leave this empty: only “member of a stakeholder group” takes one."
            )
        if errors:
            raise ValidationError(errors)


def _target_label(obj: GroupMapping | Grant) -> str:
    """“the HR group”, “editor of a framework: Design”, “member of a stakeholder group: HR”."""
    target = obj.get_target_display()
    if obj.framework_id:
        return f"{target}: {obj.framework}"
    if obj.stakeholder_group_id:
        return f"{target}: {obj.stakeholder_group}"
    return target


class Grant(models.Model):
    """A membership that single sign-on gave ``user`` (and may therefore take back)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_grants"
    )
    target = models.CharField(_("granted"), max_length=32, choices=TargetKind.choices)
    framework = models.ForeignKey(
        Framework, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        verbose_name=_("stakeholder group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("single sign-on grant")
        verbose_name_plural = _("single sign-on grants")
        ordering = ["user", "target"]
        constraints = _target_constraints("user", "sso_grant")

    def __str__(self) -> str:
        return f"{self.user}: {_target_label(self)}"
