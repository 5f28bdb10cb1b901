"""Review emails. Called by the services after their transaction commits.

Plain-text emails through Django's email backend (console by default, SMTP via
EMAIL_BACKEND). Links are absolute, built from CAREERFRAME_BASE_URL; they lead to pages
that still require logging in.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from reviews.models import Reviewer, ReviewRound, Revision
from reviews.outline import DocumentIndex
from roles.diff import diff_documents
from roles.models import FrameworkVersion

MAX_LISTED_CHANGES = 25


def absolute(path: str) -> str:
    return settings.CAREERFRAME_BASE_URL.rstrip("/") + path


def _round_links(round: ReviewRound) -> dict[str, str]:
    kwargs = {"slug": round.framework.slug, "pk": round.pk}
    return {
        "round_url": absolute(reverse("reviews:round-detail", kwargs=kwargs)),
        "decision_url": absolute(reverse("reviews:decision-create", kwargs=kwargs)),
    }


def _send(subject: str, template: str, context: dict, to: list[str]) -> None:
    to = [address for address in to if address]
    if not to:
        return
    body = render_to_string(f"reviews/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def changes_since(old: Revision | None, new: Revision) -> dict:
    """What a reviewer has not seen yet: counts and the first changed elements, labelled."""
    if old is None or old.pk == new.pk:
        return {"since": None, "changes": [], "more": 0, "total": 0}
    diff = diff_documents(old.document, new.document)
    index = DocumentIndex(old.document, new.document)
    changes = [{"status": e.status, "label": index.label(e.anchor)} for e in diff.entries]
    return {
        "since": old,
        "changes": changes[:MAX_LISTED_CHANGES],
        "more": max(len(changes) - MAX_LISTED_CHANGES, 0),
        "total": len(changes),
    }


def round_opened(round: ReviewRound) -> None:
    for seat in round.reviewers.select_related("user", "group"):
        context = {"round": round, "seat": seat, **_round_links(round)}
        _send(
            f"Review requested: {round.framework.name} {round.revision.label}, "
            f"due {round.due_on:%d %b}",
            "round_opened",
            context,
            [seat.user.email],
        )


def round_advanced(round: ReviewRound, previous: Revision) -> None:
    for seat in round.reviewers.select_related("user", "group", "last_seen_revision"):
        context = {
            "round": round,
            "seat": seat,
            "previous": previous,
            **changes_since(seat.last_seen_revision or previous, round.revision),
            **_round_links(round),
        }
        _send(
            f"New revision to review: {round.framework.name} {round.revision.label}",
            "round_advanced",
            context,
            [seat.user.email, seat.delegate.email if seat.delegate else ""],
        )


def reminder(seat: Reviewer, *, today: datetime.date) -> None:
    round = seat.round
    context = {
        "round": round,
        "seat": seat,
        "overdue": round.due_on < today,
        **changes_since(seat.last_seen_revision, round.revision),
        **_round_links(round),
    }
    when = "overdue" if round.due_on < today else f"due {round.due_on:%d %b}"
    _send(
        f"Reminder: your review of {round.framework.name} is {when}",
        "reminder",
        context,
        [seat.user.email, seat.delegate.email if seat.delegate else ""],
    )


def delegated(seat: Reviewer) -> None:
    round = seat.round
    _send(
        f"{seat.user} asked you to review {round.framework.name} for them",
        "delegated",
        {"round": round, "seat": seat, **_round_links(round)},
        [seat.delegate.email],
    )


def round_published(round: ReviewRound, version: FrameworkVersion) -> None:
    url = absolute(reverse("ladders:framework-detail", kwargs={"slug": round.framework.slug}))
    for seat in round.reviewers.select_related("user"):
        _send(
            f"Published: {round.framework.name} v{version.number}",
            "published",
            {"round": round, "version": version, "framework_url": url},
            [seat.user.email],
        )
