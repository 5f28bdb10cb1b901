"""Read shapes for review pages: each a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from reviews.access import readable_revision_limit
from reviews.models import (
    Activity,
    ApprovalRule,
    Comment,
    Decision,
    Reviewer,
    ReviewRound,
    Revision,
    RoundStatus,
    StakeholderGroup,
)
from reviews.policy import PolicyStatus, Rule, Seat, evaluate
from roles.diff import DocumentDiff, diff_documents, element_status
from roles.document import KINDS, Document
from roles.models import Framework, FrameworkVersion


def anchor_exists(document: Document, anchor: str) -> bool:
    kind, _, key = anchor.partition(":")
    return kind in KINDS and any(item["key"] == key for item in document[kind])


def revision_list(framework: Framework) -> QuerySet[Revision]:
    return (
        Revision.objects.filter(framework=framework)
        .select_related("author", "parent")
        .defer("document")
        .order_by("-number")
    )


def round_with_seats(round: ReviewRound) -> ReviewRound:
    """Reviewers (with users, delegates, groups) and each one's latest decision, prefetched."""
    seats = Reviewer.objects.select_related("user", "delegate", "group", "last_seen_revision")
    decisions = (
        Decision.objects.select_related("revision", "decided_by")
        .defer("revision__document")
        .order_by("-created_at", "-pk")
    )
    return (
        ReviewRound.objects.select_related("framework", "revision", "opened_by")
        .prefetch_related(
            Prefetch("reviewers", queryset=seats),
            Prefetch("reviewers__decisions", queryset=decisions),
        )
        .get(pk=round.pk)
    )


def latest_decision(seat: Reviewer) -> Decision | None:
    decisions = list(seat.decisions.all())  # prefetched newest first
    return decisions[0] if decisions else None


def policy_status(round: ReviewRound, *, today: datetime.date) -> PolicyStatus:
    round = round_with_seats(round)
    rules = [
        Rule(r.group_id, r.group.name, r.approvals, r.lazy_consensus)
        for r in ApprovalRule.objects.filter(framework_id=round.framework_id).select_related(
            "group"
        )
    ]
    return evaluate(
        rules=rules,
        seats=seats_of(round),
        revision_id=round.revision_id,
        due_on=round.due_on,
        today=today,
    )


def seats_of(round: ReviewRound) -> list[Seat]:
    """``round`` must come from ``round_with_seats``."""
    seats = []
    for reviewer in round.reviewers.all():
        decision = latest_decision(reviewer)
        seats.append(
            Seat(
                reviewer_id=reviewer.pk,
                name=reviewer.user.get_full_name() or reviewer.user.get_username(),
                group_id=reviewer.group_id,
                group_name=reviewer.group.name,
                verdict=decision.verdict if decision else None,
                verdict_revision_id=decision.revision_id if decision else None,
                decided_by_delegate=bool(decision and decision.decided_by_id != reviewer.user_id),
            )
        )
    return seats


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment]
    element_status: str | None  # changed / removed / moved since the comment, or None

    @property
    def outdated(self) -> bool:
        return self.element_status in {"changed", "removed"}


def round_threads(round: ReviewRound, *, current: Document) -> list[Thread]:
    """Comment threads of the round, oldest first, each marked when its element changed or
    disappeared in the round's current revision (open comments carry forward)."""
    comments = list(
        Comment.objects.filter(round=round)
        .select_related("author", "resolved_by", "revision")
        .order_by("created_at", "pk")
    )
    replies: dict[int, list[Comment]] = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(c)
    diffs: dict[int, DocumentDiff] = {}
    threads = []
    for c in comments:
        if c.parent_id:
            continue
        status = None
        if c.anchor and c.revision_id != round.revision_id:
            if c.revision_id not in diffs:
                diffs[c.revision_id] = diff_documents(c.revision.document, current)
            status = element_status(diffs[c.revision_id], c.anchor)
        threads.append(Thread(c, replies.get(c.pk, []), status))
    return threads


def inbox(user) -> QuerySet[ReviewRound]:
    """Open rounds where ``user`` reviews or decides for someone, soonest due first, with
    whether a seat they act for (their own or a delegated one) has a decision on the current
    revision, whoever of the reviewer and the delegate made it."""
    mine = Q(reviewers__user=user) | Q(reviewers__delegate=user)
    decided = Q(decisions__revision=F("revision")) & (
        Q(decisions__reviewer__user=user) | Q(decisions__reviewer__delegate=user)
    )
    return (
        ReviewRound.objects.filter(mine, status=RoundStatus.OPEN)
        .select_related("framework", "revision", "opened_by")
        .defer("revision__document")
        .annotate(my_decisions=Count("decisions", filter=decided, distinct=True))
        .order_by("due_on", "pk")
        .distinct()
    )


def activity_list(framework: Framework) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(framework=framework)
        .select_related("actor", "round", "revision")
        .defer("revision__document")
        .order_by("-created_at", "-pk")
    )


@dataclass
class OutlinePosition:
    position: dict
    level: dict | None
    cells: list[tuple[dict, list[dict]]]  # (competency, statements)
    criteria: list[dict]


def document_outline(document: Document) -> list[tuple[dict, list[OutlinePosition]]]:
    """Roles with their positions, each with statements per competency and its criteria,
    in document order: the shape reviewers read a revision in."""
    levels = {lv["key"]: lv for lv in document["levels"]}
    comps = {c["key"]: c for c in document["competencies"]}
    cells: dict[str, dict[str, list[dict]]] = {}
    for exp in document["expectations"]:
        cells.setdefault(exp["position"], {}).setdefault(exp["competency"], []).append(exp)
    criteria: dict[str, list[dict]] = {}
    for crit in document["criteria"]:
        criteria.setdefault(crit["position"], []).append(crit)
    by_role: dict[str, list[OutlinePosition]] = {}
    for pos in document["positions"]:
        per_comp = cells.get(pos["key"], {})
        by_role.setdefault(pos["role"], []).append(
            OutlinePosition(
                position=pos,
                level=levels.get(pos["level"]),
                cells=[(comps[k], v) for k, v in per_comp.items()],
                criteria=criteria.get(pos["key"], []),
            )
        )
    return [(role, by_role.get(role["key"], [])) for role in document["roles"]]


def diff_ref_choices(framework: Framework, *, editor: bool, user) -> list[tuple[str, str]]:
    """What the diff page offers to compare: the draft (editors), revisions, versions."""
    choices: list[tuple[str, str]] = [("draft", gettext("Current draft"))] if editor else []
    revisions = Revision.objects.filter(framework=framework).order_by("-number")
    if not editor:
        revisions = revisions.filter(number__lte=readable_revision_limit(user, framework, False))
    choices += [(r.label, f"{r.label} — {r.summary}") for r in revisions.only("number", "summary")]
    versions = FrameworkVersion.objects.published().filter(framework=framework).order_by("-number")
    choices += [
        (f"v{v.number}", gettext("Published v%(number)s") % {"number": v.number})
        for v in versions.only("number")
    ]
    return choices


def round_list(framework: Framework, *, user=None) -> QuerySet[ReviewRound]:
    rounds = ReviewRound.objects.filter(framework=framework)
    if user is not None:
        rounds = rounds.filter(Q(reviewers__user=user) | Q(reviewers__delegate=user)).distinct()
    return (
        rounds.select_related("revision", "opened_by")
        .annotate(seat_count=Count("reviewers", distinct=True))
        .order_by("-opened_at")
    )


@dataclass(frozen=True)
class GroupMembers:
    group: StakeholderGroup
    members: list  # active users, by username


def group_members() -> list[GroupMembers]:
    """Every stakeholder group that has active members, with those members (two queries)."""
    active = get_user_model().objects.filter(is_active=True).order_by("username")
    groups = (
        StakeholderGroup.objects.filter(members__is_active=True)
        .distinct()
        .order_by("name")
        .prefetch_related(Prefetch("members", queryset=active, to_attr="active_members"))
    )
    return [GroupMembers(group, group.active_members) for group in groups]


def suggested_seats(framework: Framework, groups: list[GroupMembers]) -> list[dict[str, int]]:
    """The first seats offered for a new round of ``framework``: the members of the groups its
    approval policy asks (of every group when it has no policy), each person once, under the
    first of their groups by name (one query)."""
    asked = set(ApprovalRule.objects.filter(framework=framework).values_list("group_id", flat=True))
    seats: list[dict[str, int]] = []
    seen: set[int] = set()
    for entry in groups:
        if asked and entry.group.pk not in asked:
            continue
        for user in entry.members:
            if user.pk not in seen:
                seen.add(user.pk)
                seats.append({"user": user.pk, "group": entry.group.pk})
    return seats
