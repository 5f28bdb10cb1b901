"""Assessment emails, sent after the writing transaction commits (plain text, absolute
links from CAREERFRAME_BASE_URL to pages that still require logging in)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from reviews.models import Assessment
from reviews.notify import absolute
from roles.access import HR_GROUP


def _send(subject: str, template: str, context: dict, to: list[str]) -> None:
    to = [address for address in to if address]
    if to:
        body = render_to_string(f"reviews/assessments/email/{template}.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def _context(assessment: Assessment, name: str) -> dict:
    return {
        "assessment": assessment,
        "person": assessment.person,
        "url": absolute(reverse(f"reviews:{name}", kwargs={"pk": assessment.pk})),
    }


def self_assessment_requested(assessment: Assessment) -> None:
    person = assessment.person
    address = person.user.email if person.user else person.email
    _send(
        "Please rate yourself for your promotion assessment",
        "self_requested",
        _context(assessment, "assessment-self"),
        [address],
    )


def self_assessment_submitted(assessment: Assessment) -> None:
    lead = assessment.person.lead
    _send(
        f"{assessment.person.name} handed in their self-assessment",
        "self_submitted",
        _context(assessment, "assessment-edit"),
        [lead.email if lead else ""],
    )


def assessment_submitted(assessment: Assessment) -> None:
    hr = get_user_model().objects.filter(groups__name=HR_GROUP, is_active=True)
    _send(
        f"Assessment #{assessment.pk} of {assessment.person.name} is ready for a decision",
        "submitted",
        _context(assessment, "assessment-detail"),
        sorted({u.email for u in hr if u.email}),
    )


def assessment_decided(assessment: Assessment) -> None:
    person = assessment.person
    to = {person.lead.email if person.lead else "", person.user.email if person.user else ""}
    _send(
        f"Decision on the promotion assessment of {person.name}",
        "decided",
        _context(assessment, "assessment-detail"),
        sorted(a for a in to if a),
    )
