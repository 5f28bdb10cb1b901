"""Assessment events: who is notified, and what they are told (notifications.services.notify).

Called by the services inside their transaction (emails go out after it commits). Only
people who may open the assessment's page are notified (reviews.assessments.access).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.events import Event
from notifications.services import notify
from reviews.assessments.access import visible_assessments
from reviews.models import Assessment
from roles.access import HR_GROUP


def _path(name: str, assessment: Assessment) -> str:
    return reverse(f"reviews:{name}", kwargs={"pk": assessment.pk})


def _name(user: AbstractBaseUser | None, fallback: str) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else fallback


def _readers(
    assessment: Assessment,
    users: Iterable[AbstractBaseUser | None],
    *,
    actor: AbstractBaseUser | None = None,
) -> list[AbstractBaseUser]:
    """Those of ``users`` who may read ``assessment`` now, except whoever acted."""
    return [
        u
        for u in users
        if u is not None
        and (actor is None or u.pk != actor.pk)
        and visible_assessments(u).filter(pk=assessment.pk).exists()
    ]


def self_assessment_requested(assessment: Assessment) -> None:
    """The person is asked to rate themselves first."""
    person = assessment.person
    lead = _name(assessment.assessor, "")

    def body(user: AbstractBaseUser) -> str:
        return _(
            "%(lead)s is preparing your promotion assessment and would like your view first: "
            "please rate yourself against each promotion criterion, with your own evidence. "
            "Your lead sees your ratings once you hand them in."
        ) % {"lead": lead or _("Your lead")}

    notify(
        Event.SELF_ASSESSMENT_REQUESTED,
        _readers(assessment, [person.user]),
        title=lambda user: _("Please rate yourself for your promotion assessment"),
        body=body,
        url=_path("assessment-self", assessment),
    )


def self_assessment_submitted(assessment: Assessment) -> None:
    """The lead hears that the person handed in their self-assessment."""
    values = {"person": assessment.person.name, "pk": assessment.pk}
    notify(
        Event.SELF_ASSESSMENT_SUBMITTED,
        _readers(assessment, [assessment.person.lead]),
        title=lambda user: _("%(person)s handed in their self-assessment") % values,
        body=lambda user: (
            _(
                "%(person)s handed in their self-assessment for assessment #%(pk)s. Their ratings "
                "now appear beside yours; differences are highlighted."
            )
            % values
        ),
        url=_path("assessment-edit", assessment),
    )


def assessment_submitted(assessment: Assessment, *, actor: AbstractBaseUser | None = None) -> None:
    """HR, who decide, hear that an assessment is ready for them — never the person assessed
    (who cannot decide their own), nor whoever submitted it."""
    person = assessment.person
    hr = get_user_model().objects.filter(groups__name=HR_GROUP).distinct()
    if person.user_id is not None:
        hr = hr.exclude(pk=person.user_id)
    if actor is not None:
        hr = hr.exclude(pk=actor.pk)

    def body(user: AbstractBaseUser) -> str:
        values = {
            "pk": assessment.pk,
            "person": person.name,
            "recommendation": assessment.get_recommendation_display() or "—",
        }
        if assessment.assessor is not None:
            values["assessor"] = _name(assessment.assessor, "")
            text = _(
                "Assessment #%(pk)s of %(person)s was submitted by %(assessor)s and is ready "
                "for a decision. Recommendation: %(recommendation)s."
            )
        else:
            text = _(
                "Assessment #%(pk)s of %(person)s was submitted and is ready for a decision. "
                "Recommendation: %(recommendation)s."
            )
        return text % values

    notify(
        Event.ASSESSMENT_SUBMITTED,
        hr,
        title=lambda user: (
            _("Assessment #%(pk)s of %(person)s is ready for a decision")
            % {"pk": assessment.pk, "person": person.name}
        ),
        body=body,
        url=_path("assessment-detail", assessment),
    )


def assessment_decided(assessment: Assessment, *, actor: AbstractBaseUser | None = None) -> None:
    """The lead, and the person if they can see their own assessment, hear HR's decision."""
    person = assessment.person

    def body(user: AbstractBaseUser) -> str:
        text = _("HR decided assessment #%(pk)s of %(person)s: %(decision)s.") % {
            "pk": assessment.pk,
            "person": person.name,
            "decision": assessment.get_decision_display(),
        }
        return f"{text}\n\n{assessment.decision_note}" if assessment.decision_note else text

    notify(
        Event.ASSESSMENT_DECIDED,
        _readers(assessment, [person.lead, person.user], actor=actor),
        title=lambda user: (
            _("Decision on the promotion assessment of %(person)s") % {"person": person.name}
        ),
        body=body,
        url=_path("assessment-detail", assessment),
    )
