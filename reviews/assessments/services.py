"""Writes of promotion assessments (STYLE.md section 2): keyword-only, atomic, each one
locking the assessment row so that two tabs or two people never interleave.

The life of an assessment::

    draft ──► self_review ──► draft ──► submitted ──► decided (promote / not yet)
      │  (the person rates          (every required
      │   themselves first)          criterion rated)
      └── re-pinned to a newer published version while draft or self_review

A decided assessment is read-only: every write raises ValidationError and changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ladders.models import Person
from ladders.people.services import person_save, placement_for
from reviews.assessments import notify
from reviews.assessments.access import is_subject, is_writer
from reviews.assessments.ratings import RatingInput, apply_ratings
from reviews.assessments.selectors import current_version, target_choices, target_criteria
from reviews.models import (
    OPEN_ASSESSMENT_STATUSES,
    Assessment,
    AssessmentDecision,
    AssessmentStatus,
    CriterionRating,
    Rating,
)
from roles.access import is_hr
from roles.models import Position


class MissingRatings(ValidationError):
    """Submitting needs every required criterion rated; ``criteria`` lists the ones left."""

    def __init__(self, criteria: list[str], messages: list[str]):
        super().__init__(messages)
        self.criteria = criteria


@dataclass(frozen=True)
class RepinResult:
    assessment: Assessment
    kept: int
    added: int
    dropped: int


def read_only_error(assessment: Assessment) -> ValidationError:
    when = timezone.localtime(assessment.decided_at).strftime("%d %b %Y")
    return ValidationError(
        _("Assessment #%(number)s was decided on %(date)s and is read-only; nothing was changed.")
        % {"number": assessment.pk, "date": when}
    )


def _lock(assessment: Assessment, *allowed: str, doing: str) -> Assessment:
    """Lock the row and check its status; refreshes ``assessment`` in place."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    for name in ("status", "version_id", "self_submitted_at", "decided_at", "submitted_at"):
        setattr(assessment, name, getattr(locked, name))
    if assessment.status == AssessmentStatus.DECIDED:
        raise read_only_error(assessment)
    if assessment.status not in allowed:
        label = AssessmentStatus(assessment.status).label.lower()
        raise ValidationError(
            _("This assessment is %(status)s; you cannot %(doing)s now.")
            % {"status": label, "doing": doing}
        )
    return assessment


def _require_writer(user: AbstractBaseUser, assessment: Assessment) -> None:
    if not is_writer(user, assessment):
        raise PermissionDenied("Only HR or the person's lead can change this assessment.")


# --- start ----------------------------------------------------------------------------------


def assessment_start(
    *,
    lead: AbstractBaseUser,
    person: Person,
    target: Position | None = None,
    self_assessment: bool = False,
) -> Assessment:
    """Start assessing ``person`` against the current published version. ``target``
    defaults to the next level on their track; a lead may pick any position a path step
    leads to from theirs (a lateral move or track switch), HR any position."""
    hr = is_hr(lead)
    if not (hr or person.lead_id == lead.pk):
        raise PermissionDenied("You can only assess the people you lead.")
    if person.user_id is not None and person.user_id == lead.pk:
        raise ValidationError(_("You cannot assess yourself; ask your own lead or HR."))
    if not person.active:
        raise ValidationError(_("%(person)s is no longer active.") % {"person": person.name})
    try:
        with transaction.atomic():
            Person.objects.select_for_update().filter(pk=person.pk).first()
            assessment = _start(lead, person, target, hr=hr)
            if self_assessment:
                self_assessment_request(assessment=assessment, user=lead)
    except IntegrityError:
        raise ValidationError(
            _("%(person)s already has an assessment in progress.") % {"person": person.name}
        ) from None
    return assessment


def _start(lead, person: Person, target: Position | None, *, hr: bool) -> Assessment:
    in_progress = Assessment.objects.undecided().filter(person=person).first()
    if in_progress is not None:
        raise ValidationError(
            _(
                "%(person)s already has an assessment in progress (#%(number)s); "
                "finish or delete it first."
            )
            % {"person": person.name, "number": in_progress.pk}
        )
    version = current_version(person.framework_id)
    if version is None:
        raise ValidationError(
            _("%(framework)s has no published version yet.") % {"framework": person.framework.name}
        )
    choices = target_choices(person, version, hr=hr)
    if target is None:
        if choices.default is None:
            raise ValidationError(
                _(
                    "There is no next level from %(person)s's position in "
                    "%(version)s; pick the target position."
                )
                % {"person": person.name, "version": version.label}
            )
        target = choices.default.position
    elif choices.find(target.key) is None or target.version_id != version.pk:
        message = _("%(target)s is not a step from %(person)s's position in %(version)s.") % {
            "target": target.title,
            "person": person.name,
            "version": version.label,
        }
        if not hr:
            message += " " + _("HR can assess for any position.")
        raise ValidationError(message)
    assessment = Assessment.objects.create(
        person=person,
        assessor=lead,
        version=version,
        from_role_key=person.role_key,
        from_level_key=person.level_key,
        target_role_key=target.role.key,
        target_level_key=target.level.key,
    )
    CriterionRating.objects.bulk_create(
        CriterionRating(assessment=assessment, criterion_key=key)
        for key in target_criteria(version, target.role.key, target.level.key).values_list(
            "key", flat=True
        )
    )
    return assessment


# --- ratings -------------------------------------------------------------------------------


def ratings_save(
    *,
    assessment: Assessment,
    user: AbstractBaseUser,
    ratings: Mapping[str, RatingInput],
    summary: str | None = None,
    recommendation: str | None = None,
) -> Assessment:
    """The lead's ratings, evidence, summary and recommendation; draft only."""
    _require_writer(user, assessment)
    if recommendation not in (None, "", *AssessmentDecision.values):
        raise ValidationError(
            _("%(recommendation)s is not a recommendation.")
            % {"recommendation": repr(recommendation)}
        )
    with transaction.atomic():
        _lock(assessment, AssessmentStatus.DRAFT, doing=_("change the ratings"))
        apply_ratings(assessment, ratings, by_self=False)
        fields = ["updated_at"]
        if summary is not None:
            assessment.summary = summary.strip()
            fields.append("summary")
        if recommendation is not None:
            assessment.recommendation = recommendation
            fields.append("recommendation")
        assessment.save(update_fields=fields)
    return assessment


# --- self-assessment ----------------------------------------------------------------------


def self_assessment_request(*, assessment: Assessment, user: AbstractBaseUser) -> Assessment:
    """Ask the person to rate themselves first; the lead waits until they hand it in."""
    _require_writer(user, assessment)
    person = assessment.person
    with transaction.atomic():
        _lock(assessment, AssessmentStatus.DRAFT, doing=_("ask for a self-assessment"))
        if person.user_id is None:
            raise ValidationError(
                _(
                    "%(person)s has no login, so they cannot rate themselves. "
                    "HR can link their account on their page."
                )
                % {"person": person.name}
            )
        if assessment.self_submitted_at is not None:
            raise ValidationError(
                _("%(person)s has already handed in their self-assessment.")
                % {"person": person.name}
            )
        assessment.status = AssessmentStatus.SELF_REVIEW
        assessment.self_assessment = True
        assessment.save(update_fields=["status", "self_assessment", "updated_at"])
        notify.self_assessment_requested(assessment)
    return assessment


def self_assessment_withdraw(*, assessment: Assessment, user: AbstractBaseUser) -> Assessment:
    """Stop waiting for the person: the assessment goes back to draft."""
    _require_writer(user, assessment)
    with transaction.atomic():
        _lock(assessment, AssessmentStatus.SELF_REVIEW, doing=_("withdraw the request"))
        assessment.status = AssessmentStatus.DRAFT
        assessment.save(update_fields=["status", "updated_at"])
    return assessment


def self_assessment_save(
    *,
    assessment: Assessment,
    user: AbstractBaseUser,
    ratings: Mapping[str, RatingInput],
    submit: bool = False,
) -> Assessment:
    """The person's own ratings and evidence, while their self-assessment is requested;
    with ``submit`` they hand it in and the assessment goes back to the lead."""
    if not is_subject(user, assessment):
        raise PermissionDenied("Only the person assessed can rate themselves.")
    with transaction.atomic():
        _lock(assessment, AssessmentStatus.SELF_REVIEW, doing=_("change your self-assessment"))
        apply_ratings(assessment, ratings, by_self=True)
        fields = ["updated_at"]
        if submit:
            assessment.status = AssessmentStatus.DRAFT
            assessment.self_submitted_at = timezone.now()
            fields += ["status", "self_submitted_at"]
        assessment.save(update_fields=fields)
        if submit:
            notify.self_assessment_submitted(assessment)
    return assessment


def self_assessment_submit(
    *,
    assessment: Assessment,
    user: AbstractBaseUser,
    ratings: Mapping[str, RatingInput] | None = None,
) -> Assessment:
    return self_assessment_save(
        assessment=assessment, user=user, ratings=ratings or {}, submit=True
    )


# --- submit and decide ----------------------------------------------------------------------


def assessment_submit(*, assessment: Assessment, user: AbstractBaseUser) -> Assessment:
    """Hand the assessment to HR. Every required criterion must be rated (anything but
    "not assessed") and a recommendation given; otherwise MissingRatings lists what is left."""
    _require_writer(user, assessment)
    with transaction.atomic():
        _lock(assessment, *OPEN_ASSESSMENT_STATUSES, doing=_("submit it"))
        if assessment.status == AssessmentStatus.SELF_REVIEW:
            raise ValidationError(
                _(
                    "%(person)s has not handed in their self-assessment yet; "
                    "withdraw the request to submit without it."
                )
                % {"person": assessment.person.name}
            )
        rated = dict(
            CriterionRating.objects.filter(assessment=assessment).values_list(
                "criterion_key", "rating"
            )
        )
        missing = [
            c.text
            for c in target_criteria(
                assessment.version, assessment.target_role_key, assessment.target_level_key
            )
            if c.required and rated.get(c.key, Rating.NOT_ASSESSED) == Rating.NOT_ASSESSED
        ]
        problems = []
        if missing:
            problems.append(
                _("Rate every required criterion before submitting. Not rated yet: %(criteria)s")
                % {"criteria": "; ".join(f"“{text}”" for text in missing)}
            )
        if not assessment.recommendation:
            problems.append(_("Give your recommendation: promote or not yet."))
        if problems:
            raise MissingRatings(missing, problems)
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["status", "submitted_at", "updated_at"])
        notify.assessment_submitted(assessment, actor=user)
    return assessment


def assessment_decide(
    *,
    assessment: Assessment,
    user: AbstractBaseUser,
    decision: str,
    note: str = "",
    effective_on: datetime.date | None = None,
) -> Assessment:
    """HR's decision on a submitted assessment. "Promote" moves the person to the target
    position (in the current published version) from ``effective_on``, recorded in their
    history as "Promoted after assessment #N"; "not yet" needs a note saying why."""
    if not is_hr(user):
        raise PermissionDenied("Only HR decides assessments.")
    if is_subject(user, assessment):
        raise PermissionDenied("You cannot decide your own assessment.")
    note = note.strip()
    with transaction.atomic():
        _lock(assessment, AssessmentStatus.SUBMITTED, doing=_("decide it"))
        if decision not in AssessmentDecision.values:
            raise ValidationError({"decision": _("Choose promote or not yet.")})
        if decision == AssessmentDecision.NOT_YET and not note:
            raise ValidationError(
                {"note": _("Say why not yet, and what would make the difference.")}
            )
        now = timezone.now()
        if decision == AssessmentDecision.PROMOTE:
            _promote(assessment, user, on=effective_on or timezone.localdate(now))
        assessment.status = AssessmentStatus.DECIDED
        assessment.decision = decision
        assessment.decision_note = note
        assessment.decided_by = user
        assessment.decided_at = now
        assessment.save(
            update_fields=[
                "status",
                "decision",
                "decision_note",
                "decided_by",
                "decided_at",
                "updated_at",
            ]
        )
        notify.assessment_decided(assessment, actor=user)
    return assessment


def _promote(assessment: Assessment, user, *, on: datetime.date) -> None:
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("lead", "user")
        .get(pk=assessment.person_id)
    )
    same_role = person.sub_role_key and assessment.target_role_key == person.role_key
    try:
        placement = placement_for(
            framework=person.framework,
            role=assessment.target_role_key,
            level=assessment.target_level_key,
            sub_role=person.sub_role_key if same_role else "",
        )
    except ValidationError as exc:
        if "sub_role" not in exc.message_dict:
            raise ValidationError(
                _(
                    "The target position %(position)s is not in the current "
                    "published version of %(framework)s; the person cannot be moved "
                    "there. Record “not yet” and start a new assessment."
                )
                % {"position": assessment.target_position_key, "framework": person.framework.name}
            ) from None
        # Their specialism is gone from the new position: they move without one.
        placement = placement_for(
            framework=person.framework,
            role=assessment.target_role_key,
            level=assessment.target_level_key,
        )
    person_save(
        user=user,
        placement=placement,
        name=person.name,
        email=person.email,
        lead=person.lead,
        login=person.user,
        person=person,
        since=on,
        reason=f"Promoted after assessment #{assessment.pk}",
    )
    assessment.person = person


# --- re-pin and delete ----------------------------------------------------------------------


def assessment_repin(*, assessment: Assessment, user: AbstractBaseUser) -> RepinResult:
    """Move an open assessment to the current published version: ratings carry over by
    criterion key, new criteria start unrated, ratings of removed criteria are dropped."""
    _require_writer(user, assessment)
    with transaction.atomic():
        _lock(assessment, *OPEN_ASSESSMENT_STATUSES, doing=_("move it to a newer version"))
        version = current_version(assessment.person.framework_id)
        if version is None or version.pk == assessment.version_id:
            raise ValidationError(_("This assessment is already on the current version."))
        target_keys = (assessment.target_role_key, assessment.target_level_key)
        keys = set(target_criteria(version, *target_keys).values_list("key", flat=True))
        if not Position.objects.filter(
            version=version, role__key=target_keys[0], level__key=target_keys[1]
        ).exists():
            raise ValidationError(
                _(
                    "The target position is not in %(version)s; this assessment cannot move "
                    "to it. Delete it and start a new one."
                )
                % {"version": version.label}
            )
        existing = set(
            CriterionRating.objects.filter(assessment=assessment).values_list(
                "criterion_key", flat=True
            )
        )
        dropped = existing - keys
        CriterionRating.objects.filter(assessment=assessment, criterion_key__in=dropped).delete()
        CriterionRating.objects.bulk_create(
            CriterionRating(assessment=assessment, criterion_key=key)
            for key in sorted(keys - existing)
        )
        assessment.version = version
        assessment.save(update_fields=["version", "updated_at"])
    return RepinResult(assessment, len(existing & keys), len(keys - existing), len(dropped))


def assessment_delete(*, assessment: Assessment, user: AbstractBaseUser) -> None:
    """Discard an assessment that was never submitted."""
    _require_writer(user, assessment)
    with transaction.atomic():
        _lock(assessment, *OPEN_ASSESSMENT_STATUSES, doing=_("delete it"))
        assessment.delete()
