"""Review events: who is notified, and what they are told (notifications.services.notify).

The services call these inside their transaction: the in-app notifications are written
with the action, the emails go out after it commits, so a rolled-back action notifies
nobody. Texts are functions of the recipient, rendered in the recipient's language.

Only people who may open the linked page are notified, and texts hold nothing more than
that page shows them: a round's reviewers (and their delegates) see the round and its
revision, editors see everything of their framework, members read published versions.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ladders.models import Person
from notifications.events import Event
from notifications.services import notify
from reviews.models import Comment, Reviewer, ReviewRound, Revision
from reviews.outline import DocumentIndex
from roles.access import can_read_published
from roles.diff import diff_documents
from roles.models import FrameworkVersion

MAX_LISTED_CHANGES = 25
EXCERPT_CHARS = 300

STATUS_LABELS = {
    "added": gettext_lazy("added"),
    "removed": gettext_lazy("removed"),
    "changed": gettext_lazy("changed"),
    "moved": gettext_lazy("moved"),
}


def _name(user: AbstractBaseUser | None, fallback: str = "") -> str:
    if user is None:
        return fallback
    return user.get_full_name() or user.get_username()


def _round_path(round: ReviewRound, fragment: str = "") -> str:
    path = reverse("reviews:round-detail", kwargs={"slug": round.framework.slug, "pk": round.pk})
    return f"{path}#{fragment}" if fragment else path


def _decision_path(round: ReviewRound) -> str:
    """The one-click decision link: it opens the round at its decision form."""
    return reverse("reviews:decision-create", kwargs={"slug": round.framework.slug, "pk": round.pk})


def _due(day: datetime.date) -> str:
    return date_format(day, "l j F Y")


def _due_short(day: datetime.date) -> str:
    return date_format(day, "d M")


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


def changes_text(old: Revision | None, new: Revision) -> str:
    """``changes_since`` as lines of plain text, in the current language."""
    changes = changes_since(old, new)
    if changes["since"] is None:
        return _("You have not looked at this round yet: the whole revision is new to you.")
    total = changes["total"]
    lines = [
        ngettext(
            "What changed since you last looked (%(since)s → %(now)s): %(count)d change.",
            "What changed since you last looked (%(since)s → %(now)s): %(count)d changes.",
            total,
        )
        % {"since": changes["since"].label, "now": new.label, "count": total}
    ]
    for change in changes["changes"]:
        status = STATUS_LABELS.get(change["status"], change["status"])
        lines.append(f"  - {status}: {change['label']}")
    if changes["more"]:
        lines.append("  " + _("… and %(count)d more.") % {"count": changes["more"]})
    return "\n".join(lines)


def _seats_by_user(round: ReviewRound, *, delegates: bool) -> dict[int, Reviewer]:
    """The round's seats by the user who decides for them (reviewer, and delegate if asked)."""
    seats = round.reviewers.select_related("user", "delegate", "group", "last_seen_revision")
    by_user: dict[int, Reviewer] = {}
    for seat in seats:
        by_user[seat.user_id] = seat
        if delegates and seat.delegate_id:
            by_user[seat.delegate_id] = seat
    return by_user


def _users(seats: dict[int, Reviewer]) -> list[AbstractBaseUser]:
    return [s.user if s.user_id == pk else s.delegate for pk, s in seats.items()]


# --- round opened, decision due -----------------------------------------------------------


def round_opened(round: ReviewRound) -> None:
    """Each reviewer is asked for their decision."""
    seats = _seats_by_user(round, delegates=False)
    framework, revision = round.framework, round.revision

    def title(user: AbstractBaseUser) -> str:
        return _("Review requested: %(framework)s %(revision)s, due %(due)s") % {
            "framework": framework.name,
            "revision": revision.label,
            "due": _due_short(round.due_on),
        }

    def body(user: AbstractBaseUser) -> str:
        text = _(
            "%(opener)s asks you to review %(framework)s %(revision)s as %(group)s, by %(due)s."
        ) % {
            "opener": _name(round.opened_by, _("An editor")),
            "framework": framework.name,
            "revision": revision.label,
            "group": seats[user.pk].group.name,
            "due": _due(round.due_on),
        }
        return f"{text}\n\n“{round.message}”" if round.message else text

    notify(Event.ROUND_OPENED, _users(seats), title=title, body=body, url=_decision_path(round))


def round_advanced(round: ReviewRound, previous: Revision) -> None:
    """Reviewers and their delegates are asked to decide again, on the new revision."""
    seats = _seats_by_user(round, delegates=True)
    framework, revision = round.framework, round.revision

    def title(user: AbstractBaseUser) -> str:
        return _("New revision to review: %(framework)s %(revision)s") % {
            "framework": framework.name,
            "revision": revision.label,
        }

    def body(user: AbstractBaseUser) -> str:
        seat = seats[user.pk]
        text = _(
            "The review of %(framework)s moved from %(previous)s to %(revision)s (“%(summary)s”). "
            "Approvals given to %(previous)s no longer count."
        ) % {
            "framework": framework.name,
            "previous": previous.label,
            "revision": revision.label,
            "summary": revision.summary,
        }
        return f"{text}\n\n{changes_text(seat.last_seen_revision or previous, revision)}"

    notify(Event.DECISION_DUE, _users(seats), title=title, body=body, url=_decision_path(round))


def reminder(seat: Reviewer, *, today: datetime.date) -> None:
    """The reviewer (and their delegate) of a seat that has not decided, near or past due."""
    round = seat.round
    framework, revision = round.framework, round.revision
    overdue = round.due_on < today

    def title(user: AbstractBaseUser) -> str:
        if overdue:
            return _("Reminder: your review of %(framework)s is overdue") % {
                "framework": framework.name
            }
        return _("Reminder: your review of %(framework)s is due %(due)s") % {
            "framework": framework.name,
            "due": _due_short(round.due_on),
        }

    def body(user: AbstractBaseUser) -> str:
        values = {
            "framework": framework.name,
            "revision": revision.label,
            "group": seat.group.name,
            "reviewer": _name(seat.user),
            "due": date_format(round.due_on, "l j F"),
        }
        if user.pk == seat.delegate_id:
            text = (
                _(
                    "The review of %(framework)s %(revision)s you decide for %(reviewer)s as "
                    "%(group)s was due on %(due)s."
                )
                if overdue
                else _(
                    "The review of %(framework)s %(revision)s you decide for %(reviewer)s as "
                    "%(group)s is due on %(due)s."
                )
            )
        else:
            text = (
                _("Your review of %(framework)s %(revision)s as %(group)s was due on %(due)s.")
                if overdue
                else _("Your review of %(framework)s %(revision)s as %(group)s is due on %(due)s.")
            )
        return f"{text % values}\n\n{changes_text(seat.last_seen_revision, revision)}"

    notify(
        Event.DECISION_DUE,
        [seat.user, seat.delegate],
        title=title,
        body=body,
        url=_decision_path(round),
    )


def delegated(seat: Reviewer) -> None:
    """The delegate is asked to decide for the reviewer."""
    round = seat.round
    values = {
        "framework": round.framework.name,
        "revision": round.revision.label,
        "group": seat.group.name,
    }

    def title(user: AbstractBaseUser) -> str:
        return _("%(reviewer)s asked you to review %(framework)s for them") % {
            **values,
            "reviewer": _name(seat.user),
        }

    def body(user: AbstractBaseUser) -> str:
        return _(
            "%(reviewer)s asked you to review %(framework)s %(revision)s for them. Your "
            "decision counts for %(group)s. It is due on %(due)s."
        ) % {**values, "reviewer": _name(seat.user), "due": _due(round.due_on)}

    notify(Event.DECISION_DUE, [seat.delegate], title=title, body=body, url=_decision_path(round))


# --- comments -----------------------------------------------------------------------------


def _element(round: ReviewRound, anchor: str) -> str:
    if not anchor:
        return _("the whole framework")
    return DocumentIndex(round.revision.document).label(anchor)


def _round_audience(round: ReviewRound) -> Q:
    """Users who may open the round: its editors, reviewers and delegates, administrators."""
    seats = Reviewer.objects.filter(round=round)
    return (
        Q(pk__in=round.framework.editors.values("pk"))
        | Q(pk__in=seats.values("user_id"))
        | Q(pk__in=seats.exclude(delegate=None).values("delegate_id"))
        | Q(is_superuser=True)
    )


def comment_created(comment: Comment) -> None:
    """A new thread: the framework's editors (they own its elements) except the commenter.
    A reply: the thread's earlier participants, except the replier, who can still see it."""
    round = comment.round
    framework = round.framework
    author = _name(comment.author, _("Someone"))
    excerpt = Truncator(comment.body).chars(EXCERPT_CHARS)
    url = _round_path(round, f"comment-{comment.parent_id or comment.pk}")
    if comment.parent_id is None:
        editors = framework.editors.exclude(pk=comment.author_id)

        def title(user: AbstractBaseUser) -> str:
            return _("%(author)s commented on %(element)s in %(framework)s %(revision)s") % {
                "author": author,
                "element": _element(round, comment.anchor),
                "framework": framework.name,
                "revision": round.revision.label,
            }

        notify(Event.COMMENT, editors, title=title, body=excerpt, url=url)
        return

    thread = comment.parent
    earlier = Comment.objects.filter(Q(pk=thread.pk) | Q(parent=thread, pk__lt=comment.pk))
    participants = (
        get_user_model()
        .objects.filter(pk__in=earlier.exclude(author=None).values("author_id"))
        .exclude(pk=comment.author_id)
        .filter(_round_audience(round))
    )

    def reply_title(user: AbstractBaseUser) -> str:
        values = {"author": author, "element": _element(round, thread.anchor)}
        if user.pk == thread.author_id:
            return _("%(author)s replied to your comment on %(element)s") % values
        return _("%(author)s replied in a thread on %(element)s") % values

    notify(Event.REPLY, participants, title=reply_title, body=excerpt, url=url)


# --- publishing ---------------------------------------------------------------------------


def round_published(
    round: ReviewRound, version: FrameworkVersion, *, actor: AbstractBaseUser | None = None
) -> None:
    """The framework's editors, the round's reviewers and delegates, and the people placed in
    the framework who can read it — except whoever published."""
    framework = round.framework
    seats = _seats_by_user(round, delegates=True)
    placed = [
        p.user
        for p in Person.objects.active()
        .filter(framework=framework, user__isnull=False)
        .select_related("user")
        if can_read_published(p.user, framework)
    ]
    recipients = [*framework.editors.all(), *_users(seats), *placed]
    if actor is not None:
        recipients = [u for u in recipients if u.pk != actor.pk]
    values = {
        "framework": framework.name,
        "revision": round.revision.label,
        "number": version.number,
    }

    def title(user: AbstractBaseUser) -> str:
        return _("Published: %(framework)s v%(number)s") % values

    def body(user: AbstractBaseUser) -> str:
        if user.pk in seats:
            return (
                _(
                    "%(framework)s %(revision)s is published as version %(number)s. "
                    "Thank you for reviewing."
                )
                % values
            )
        return _("%(framework)s is published as version %(number)s.") % values

    url = reverse("ladders:framework-detail", kwargs={"slug": framework.slug})
    notify(Event.PUBLISHED, recipients, title=title, body=body, url=url)
