"""The emails: one per notification (immediate) or one per user and day (the digest).

Each has a plain-text and an HTML part, rendered in the recipient's language and time zone,
absolute links built from CAREERFRAME_BASE_URL, a footer link to the preferences page and a
List-Unsubscribe header pointing there too.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import ngettext

from accounts.locale import language_for, timezone_for
from notifications.events import event_types
from notifications.models import Notification

SUBJECT_MAX = 150


def absolute(path: str) -> str:
    return settings.CAREERFRAME_BASE_URL.rstrip("/") + path


@contextlib.contextmanager
def recipient_locale(user: AbstractBaseUser) -> Iterator[None]:
    """Translations and time zone of ``user`` for whatever is rendered inside."""
    with translation.override(language_for(user)), timezone.override(timezone_for(user)):
        yield


def display_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def _subject(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SUBJECT_MAX else line[: SUBJECT_MAX - 1] + "…"


def _message(
    user: AbstractBaseUser, subject: str, template: str, context: dict
) -> EmailMultiAlternatives:
    preferences_url = absolute(reverse("notifications:preferences"))
    context = {
        **context,
        "recipient": user,
        "recipient_name": display_name(user),
        "preferences_url": preferences_url,
        "site_url": absolute("/"),
    }
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=_subject(subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{preferences_url}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    """The email of one notification, to its recipient."""
    user = notification.recipient
    with recipient_locale(user):
        return _message(
            user,
            notification.title,
            "notification",
            {"notification": notification, "url": absolute(notification.url)},
        )


def digest_email(
    user: AbstractBaseUser, day: datetime.date, items: Sequence[Notification]
) -> EmailMultiAlternatives:
    """One email with every item, grouped by event type (in the registry's order)."""
    with recipient_locale(user):
        groups = []
        for event_type in event_types():
            entries = [
                {"notification": n, "url": absolute(n.url)}
                for n in items
                if n.event == event_type.key
            ]
            if entries:
                groups.append({"label": event_type.label, "entries": entries})
        count = len(items)
        subject = ngettext(
            "Your careerframe digest for %(day)s: %(count)d update",
            "Your careerframe digest for %(day)s: %(count)d updates",
            count,
        ) % {"day": formats.date_format(day, "j F"), "count": count}
        return _message(
            user,
            subject,
            "digest",
            {
                "groups": groups,
                "count": count,
                "day": day,
                "list_url": absolute(reverse("notifications:notification-list")),
            },
        )
