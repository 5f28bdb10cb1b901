"""Writes of the notifications app: notify people, mark read, save preferences, send digests."""

from __future__ import annotations

import datetime
import logging
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme

from notifications.emails import digest_email, notification_email, recipient_locale
from notifications.events import Delivery, event_type
from notifications.links import still_opens
from notifications.models import DigestRun, EmailState, Notification, Preference

logger = logging.getLogger(__name__)

# A title or body: plain text, a lazy translation, or a function of the recipient (called
# in the recipient's language and time zone) for texts that differ per person.
Text = str | Promise | Callable[[AbstractBaseUser], str]

TITLE_MAX = Notification._meta.get_field("title").max_length
URL_MAX = Notification._meta.get_field("url").max_length


def is_site_path(url: str) -> bool:
    """A path on this site ("/frameworks/x/#y"), never a URL that leaves it."""
    return (
        len(url) <= URL_MAX
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and not any(unicodedata.category(c)[0] in "CZ" for c in url)  # controls, spaces
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def _render(text: Text, user: AbstractBaseUser) -> str:
    if callable(text) and not isinstance(text, Promise):
        text = text(user)
    return str(text).strip()


def notify(
    event: str,
    recipients: Iterable[AbstractBaseUser | None],
    *,
    title: Text,
    body: Text = "",
    url: str,
) -> list[Notification]:
    """Notify ``recipients`` of ``event``: one in-app notification each (duplicates and
    ``None`` dropped, inactive users and those who switched the event off skipped), emailed
    after the surrounding transaction commits to those who want it at once; the others'
    wait for the daily digest. Texts are rendered per recipient, in their language.

    Callers decide who may see what: pass only people allowed to see ``url`` and the texts.
    Three queries (users, preferences, insert), plus the emails after commit."""
    kind = event_type(event)
    if not is_site_path(url):
        raise ValueError(f"A notification links to a path on this site, not {url!r}.")
    ids = {user.pk for user in recipients if user is not None and user.pk is not None}
    if not ids:
        return []
    users = (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .select_related("profile")
        .order_by("pk")
    )
    chosen = dict(
        Preference.objects.filter(user__in=ids, event=kind.key).values_list("user_id", "delivery")
    )
    rows = []
    for user in users:
        delivery = chosen.get(user.pk, kind.default)
        if delivery == Delivery.OFF:
            continue
        with recipient_locale(user):
            rendered_title = _render(title, user)[:TITLE_MAX]
            rendered_body = _render(body, user)
        rows.append(
            Notification(
                recipient=user,
                event=kind.key,
                title=rendered_title,
                body=rendered_body,
                url=url,
                email_state=EmailState.DIGEST
                if delivery == Delivery.DIGEST
                else EmailState.NOT_EMAILED,
            )
        )
    created = Notification.objects.bulk_create(rows)
    now = [n for n in created if n.email_state == EmailState.NOT_EMAILED and n.recipient.email]
    if now:
        transaction.on_commit(lambda: _email_now(now))
    return created


def _email_now(notifications: Sequence[Notification]) -> None:
    """One email per notification, over one connection. A failure is logged and leaves that
    notification "not emailed": the action that caused it has committed already."""
    sent = []
    with get_connection() as connection:
        for notification in notifications:
            message = notification_email(notification)
            message.connection = connection
            try:
                message.send()
            except OSError:  # smtplib.SMTPException and socket errors
                logger.exception("Could not email notification %s", notification.pk)
            else:
                sent.append(notification.pk)
    if sent:
        Notification.objects.filter(pk__in=sent).update(
            email_state=EmailState.EMAILED, emailed_at=timezone.now()
        )


# --- reading --------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def notifications_mark_all_read(*, user: AbstractBaseUser) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


# --- preferences ------------------------------------------------------------------------------


def preferences_save(*, user: AbstractBaseUser, deliveries: Mapping[str, str]) -> None:
    """Store ``user``'s choice (immediate, digest or off) for each event given. One upsert,
    so two saves at once cannot collide."""
    for event, delivery in deliveries.items():
        try:
            event_type(event)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        if delivery not in Delivery.values:
            raise ValidationError(f"Unknown delivery {delivery!r} for {event!r}.")
    Preference.objects.bulk_create(
        [Preference(user=user, event=e, delivery=d) for e, d in deliveries.items()],
        update_conflicts=True,
        unique_fields=["user", "event"],
        update_fields=["delivery"],
    )


# --- the daily digest ---------------------------------------------------------------------------


def digests_send(*, day: datetime.date) -> int:
    """Email each user with notifications waiting for the digest (made before the end of
    ``day``, unread) one digest of them. At most one per user and day: each user's digest
    is claimed with a DigestRun row (unique per user and day) before it is sent, so running
    again, or twice at once, sends nothing more. A failed send releases the claim for the
    next run. Items read in the app before the digest, and those whose page the user may no
    longer open (notifications.links), are left out. Returns how many sent."""
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    user_ids = list(
        Notification.objects.waiting_for_digest()
        .filter(created_at__lt=end)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in user_ids:
        claim = _digest_claim(user_id=user_id, day=day, end=end)
        if claim is None:
            continue
        run, items = claim
        try:
            digest_email(items[0].recipient, day, items).send()
        except OSError:
            logger.exception("Could not send the digest of %s to user %s", day, user_id)
            _digest_release(run, items)
            continue
        sent += 1
    return sent


def _digest_claim(
    *, user_id: int, day: datetime.date, end: datetime.datetime
) -> tuple[DigestRun, list[Notification]] | None:
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = DigestRun.objects.create(user_id=user_id, day=day)
        except IntegrityError:
            return None  # this user's digest of ``day`` went out already (or is going out)
        items = list(
            Notification.objects.waiting_for_digest()
            .filter(recipient_id=user_id, created_at__lt=end)
            .select_related("recipient__profile")
            .select_for_update(of=("self",))
            .order_by("created_at", "pk")
        )
        recipient = items[0].recipient if items else None
        unread = []
        if recipient is not None and recipient.is_active and recipient.email:
            # Read in the app meanwhile, or no longer allowed to open (notifications.links).
            unread = [n for n in items if n.read_at is None and still_opens(recipient, n.url)]
        if not unread:
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                email_state=EmailState.NOT_EMAILED
            )
            run.delete()  # nothing sent: a later run today may still send one
            return None
        left_out = {n.pk for n in items} - {n.pk for n in unread}
        Notification.objects.filter(pk__in=left_out).update(email_state=EmailState.NOT_EMAILED)
        Notification.objects.filter(pk__in=[n.pk for n in unread]).update(
            email_state=EmailState.EMAILED, emailed_at=timezone.now(), digest=run
        )
        run.items = len(unread)
        run.save(update_fields=["items"])
    return run, unread


def _digest_release(run: DigestRun, items: Sequence[Notification]) -> None:
    with transaction.atomic():
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(
            email_state=EmailState.DIGEST, emailed_at=None, digest=None
        )
        run.delete()
