"""Decided assessments as CSV rows for HR, safe to open in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable

from reviews.assessments.selectors import assessment_list
from reviews.models import AssessmentQuerySet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

EXPORT_HEADER = [
    "Assessment",
    "Person",
    "Email",
    "From position",
    "Target position",
    "Decision",
    "Decided at",
    "Decided by",
    "Note",
    "Framework",
    "Version",
    "Assessor",
    "Recommendation",
]


def csv_cell(value: object) -> str:
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula gets a
    leading apostrophe (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _username(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def export_rows(assessments: AssessmentQuerySet) -> Iterable[list[str]]:
    """The header, then one row per decided assessment, newest decision first (one query)."""
    yield EXPORT_HEADER
    for a in assessment_list(assessments.decided()).order_by("-decided_at", "-pk"):
        yield [
            csv_cell(value)
            for value in (
                a.pk,
                a.person.name,
                a.person.email,
                a.from_title or a.from_position_key,
                a.target_title or a.target_position_key,
                a.get_decision_display(),
                a.decided_at.isoformat(timespec="minutes") if a.decided_at else "",
                _username(a.decided_by),
                a.decision_note,
                a.person.framework.name,
                a.version.label,
                _username(a.assessor),
                a.get_recommendation_display(),
            )
        ]
