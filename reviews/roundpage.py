"""Everything the round page shows, gathered in one place (a fixed number of queries)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from reviews import access, selectors, services
from reviews.assessments.selectors import version_impact
from reviews.diffview import build_diff_view
from reviews.forms import CommentForm, DecisionForm, DelegateForm
from reviews.models import ReviewRound, Revision
from reviews.outline import DocumentIndex
from roles.access import is_hr
from roles.models import FrameworkVersion
from roles.serialization import document_from_version


def round_page(round: ReviewRound, *, user, editor: bool, since: str = "") -> dict[str, Any]:
    today = timezone.localdate()
    round = selectors.round_with_seats(round)
    status = selectors.policy_status(round, today=today)
    my_seats = access.seats_for(user, round)
    own_seat = next((s for s in my_seats if s.user_id == user.pk), None)
    revision = round.revision
    current_doc = revision.document

    # What to show as "changes": since the reviewer last looked, else since the published
    # version, else the whole revision (nothing to compare with).
    base_doc, base_label, since_seen = None, "", False
    published, published_doc = None, None
    seen = next((s.last_seen_revision for s in my_seats if s.last_seen_revision), None)
    if since != "published" and seen is not None and seen.pk != revision.pk:
        base_doc, since_seen = seen.document, True
        base_label = _("since you last looked (%(revision)s)") % {"revision": seen.label}
    else:
        published = FrameworkVersion.objects.current().filter(framework=round.framework).first()
        if published is not None:
            base_doc = published_doc = document_from_version(published)
            base_label = _("compared with the published version v%(number)s") % {
                "number": published.number
            }
    diff = build_diff_view(base_doc, current_doc) if base_doc is not None else None

    # Editors and HR see whom publishing this revision would affect (people, assessments).
    impact = None
    if editor or is_hr(user):
        impact = version_impact(
            round.framework, new_document=current_doc, base=published, base_document=published_doc
        )

    threads = selectors.round_threads(round, current=current_doc)
    index = DocumentIndex(*(t.comment.revision.document for t in threads), current_doc)
    by_anchor: dict[str, list] = {}
    for thread in threads:
        thread.label = index.label(thread.comment.anchor) if thread.comment.anchor else ""
        by_anchor.setdefault(thread.comment.anchor, []).append(thread)

    latest = (
        Revision.objects.filter(framework=round.framework)
        .order_by("-number")
        .only("number")
        .first()
    )
    seats = []
    for seat in round.reviewers.all():
        decision = selectors.latest_decision(seat)
        seats.append(
            {
                "seat": seat,
                "decision": decision,
                "stale": bool(decision and decision.revision_id != revision.pk),
            }
        )
    blockers = services.publish_blockers(round, today=today, status=status) if round.is_open else []
    return {
        "round": round,
        "revision": revision,
        "status": status,
        "seats": seats,
        "my_seats": my_seats,
        "my_own_seat": own_seat,
        "blockers": blockers,
        "newer_revision": latest if latest and latest.pk != revision.pk else None,
        "diff": diff,
        "diff_base_label": base_label,
        "diff_since_seen": since_seen,
        "outline": selectors.document_outline(current_doc) if diff is None else None,
        "threads": threads,
        "threads_by_anchor": by_anchor,
        "general_threads": by_anchor.get("", []),
        "open_threads": sum(1 for t in threads if not t.comment.is_resolved),
        "decision_form": DecisionForm(),
        "comment_form": CommentForm(),
        "delegate_form": DelegateForm(
            seat=next((s for s in my_seats if s.user_id == user.pk), None)
        ),
        "today": today,
        "editor": editor,
        "impact": impact,
        "impact_names": is_hr(user),
    }
