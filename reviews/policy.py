"""Is a round's approval policy satisfied? Pure logic over plain values (no queries).

A stakeholder group is satisfied on the round's current revision when none of its
reviewers has requested changes on that revision, and either enough of them approved
that revision or, for a lazy-consensus group, the due date has passed without objection.
Approvals given to an older revision are stale: they are shown, never counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Rule:
    group_id: int
    group_name: str
    approvals: int
    lazy_consensus: bool = False


@dataclass(frozen=True)
class Seat:
    """One reviewer and their latest decision (None when they have not decided)."""

    reviewer_id: int
    name: str
    group_id: int
    group_name: str
    verdict: str | None = None  # "approve" | "request_changes"
    verdict_revision_id: int | None = None
    decided_by_delegate: bool = False


@dataclass
class GroupStatus:
    rule: Rule
    approved: list[Seat] = field(default_factory=list)
    objected: list[Seat] = field(default_factory=list)
    stale: list[Seat] = field(default_factory=list)
    pending: list[Seat] = field(default_factory=list)
    satisfied: bool = False
    by_lazy_consensus: bool = False

    @property
    def missing(self) -> int:
        return max(self.rule.approvals - len(self.approved), 0)


@dataclass
class PolicyStatus:
    groups: list[GroupStatus]
    default_policy: bool

    @property
    def satisfied(self) -> bool:
        return bool(self.groups) and all(g.satisfied for g in self.groups)

    @property
    def blockers(self) -> list[str]:
        out = []
        if not self.groups:
            out.append(_("No stakeholder group is asked to approve: add reviewers or a policy."))
        for g in self.groups:
            if g.satisfied:
                continue
            name = g.rule.group_name
            if g.objected:
                who = ", ".join(s.name for s in g.objected)
                out.append(
                    _("%(group)s: changes requested by %(who)s.") % {"group": name, "who": who}
                )
            elif not (g.approved or g.pending or g.stale):
                out.append(
                    _("%(group)s: no reviewer from this group is in the round.") % {"group": name}
                )
            else:
                out.append(
                    ngettext(
                        "%(group)s: %(approved)s of %(needed)s approval on this revision.",
                        "%(group)s: %(approved)s of %(needed)s approvals on this revision.",
                        g.rule.approvals,
                    )
                    % {"group": name, "approved": len(g.approved), "needed": g.rule.approvals}
                )
        return out


def evaluate(
    *,
    rules: list[Rule],
    seats: list[Seat],
    revision_id: int,
    due_on: datetime.date,
    today: datetime.date,
) -> PolicyStatus:
    """The policy's state for a round on ``revision_id``.

    Without rules, every group with a reviewer in the round needs one approval.
    """
    default_policy = not rules
    if default_policy:
        groups = {s.group_id: s.group_name for s in seats}
        rules = [Rule(gid, name, 1) for gid, name in sorted(groups.items(), key=lambda g: g[1])]
    by_group = {r.group_id: GroupStatus(rule=r) for r in rules}
    for seat in seats:
        status = by_group.get(seat.group_id)
        if status is None:
            continue
        current = seat.verdict_revision_id == revision_id
        if seat.verdict is None:
            status.pending.append(seat)
        elif not current:
            status.stale.append(seat)
            status.pending.append(seat)
        elif seat.verdict == "approve":
            status.approved.append(seat)
        else:
            status.objected.append(seat)
    for status in by_group.values():
        if status.objected:
            continue
        if len(status.approved) >= status.rule.approvals:
            status.satisfied = True
        elif status.rule.lazy_consensus and today > due_on and _has_members(status):
            status.satisfied = status.by_lazy_consensus = True
    return PolicyStatus(groups=list(by_group.values()), default_policy=default_policy)


def _has_members(status: GroupStatus) -> bool:
    return bool(status.approved or status.pending or status.stale)
