"""The event types people are notified about, and how each is delivered by default.

The app knows nothing of reviews or assessments: callers name an event from this registry
and pass the recipients, a title, a body and a URL (notifications.services.notify).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Email at once")
    DIGEST = "digest", _("In the daily digest")
    OFF = "off", _("Off")


class Event(models.TextChoices):
    ROUND_OPENED = "round_opened", _("Review round opened")
    DECISION_DUE = "decision_due", _("Your decision is due")
    COMMENT = "comment", _("Comment on your element")
    REPLY = "reply", _("Reply to your comment")
    PUBLISHED = "published", _("Framework published")
    ASSESSMENT_SUBMITTED = "assessment_submitted", _("Assessment submitted")
    ASSESSMENT_DECIDED = "assessment_decided", _("Assessment decided")
    SELF_ASSESSMENT_REQUESTED = "self_assessment_requested", _("Self-assessment requested")
    SELF_ASSESSMENT_SUBMITTED = "self_assessment_submitted", _("Self-assessment handed in")


@dataclass(frozen=True)
class EventType:
    event: Event
    description: Promise
    default: Delivery

    @property
    def key(self) -> str:
        return self.event.value

    @property
    def label(self) -> str:
        return self.event.label


_TYPES = [
    EventType(
        Event.ROUND_OPENED,
        _("Someone asks you to review a framework revision."),
        Delivery.IMMEDIATE,
    ),
    EventType(
        Event.DECISION_DUE,
        _(
            "A review waits for your decision: reminders before the due date, a new revision "
            "to look at, a review delegated to you."
        ),
        Delivery.IMMEDIATE,
    ),
    EventType(
        Event.COMMENT,
        _("A reviewer comments on a framework you edit."),
        Delivery.DIGEST,
    ),
    EventType(
        Event.REPLY,
        _("Someone replies in a comment thread you took part in."),
        Delivery.IMMEDIATE,
    ),
    EventType(
        Event.PUBLISHED,
        _("A framework you edit, review or are placed in has a new published version."),
        Delivery.IMMEDIATE,
    ),
    EventType(
        Event.ASSESSMENT_SUBMITTED,
        _("A promotion assessment is ready for HR's decision."),
        Delivery.IMMEDIATE,
    ),
    EventType(
        Event.ASSESSMENT_DECIDED,
        _("HR decided a promotion assessment you lead or that is about you."),
        Delivery.IMMEDIATE,
    ),
    EventType(
        Event.SELF_ASSESSMENT_REQUESTED,
        _("Your lead asks you to rate yourself first."),
        Delivery.IMMEDIATE,
    ),
    EventType(
        Event.SELF_ASSESSMENT_SUBMITTED,
        _("Someone you lead handed in their self-assessment."),
        Delivery.IMMEDIATE,
    ),
]

REGISTRY: dict[str, EventType] = {t.key: t for t in _TYPES}


def event_type(event: str) -> EventType:
    """The registered type of ``event``; ValueError for an unknown one (a programming error)."""
    try:
        return REGISTRY[str(event)]
    except KeyError:
        raise ValueError(f"Unknown notification event {event!r}.") from None


def event_types() -> list[EventType]:
    """Every event type, in the order the preferences page lists them."""
    return list(_TYPES)
