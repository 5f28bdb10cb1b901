"""The read shape of one assessment: its criteria with ratings and evidence, the two
positions' expectations side by side, and what a newer published version changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ladders.selectors import Comparison, compare_positions
from reviews.assessments.selectors import current_version, position_at, target_criteria
from reviews.diffview import DiffView, build_diff_view
from reviews.models import Assessment, CriterionRating, EvidenceItem, Rating
from roles.document import Document, empty_document
from roles.models import FrameworkVersion, Position, PromotionCriterion


@dataclass
class CriterionRow:
    number: int
    criterion: PromotionCriterion
    rating: CriterionRating | None
    show_self: bool = False

    @property
    def key(self) -> str:
        return self.criterion.key

    @property
    def lead_rating(self) -> str:
        return self.rating.rating if self.rating else Rating.NOT_ASSESSED

    @property
    def self_rating(self) -> str:
        return self.rating.self_rating if self.rating else Rating.NOT_ASSESSED

    @property
    def lead_rating_label(self) -> str:
        return Rating(self.lead_rating).label

    @property
    def self_rating_label(self) -> str:
        return Rating(self.self_rating).label

    @property
    def lead_items(self) -> list[EvidenceItem]:
        return [i for i in self.rating.items.all() if not i.by_self] if self.rating else []

    @property
    def self_items(self) -> list[EvidenceItem]:
        return [i for i in self.rating.items.all() if i.by_self] if self.rating else []

    @property
    def differs(self) -> bool:
        return self.show_self and bool(self.rating and self.rating.differs)

    @property
    def missing(self) -> bool:
        return self.criterion.required and self.lead_rating == Rating.NOT_ASSESSED


@dataclass
class AssessmentPage:
    assessment: Assessment
    current: Position | None  # where the person was, in the pinned version
    target: Position | None
    rows: list[CriterionRow]
    comparison: Comparison | None
    newer: FrameworkVersion | None  # published after the pin
    changes: DiffView | None  # the target's criteria, pinned version -> newer
    target_in_newer: bool = True
    show_self: bool = False

    @property
    def missing(self) -> list[CriterionRow]:
        return [row for row in self.rows if row.missing]

    @property
    def rated(self) -> int:
        return sum(1 for row in self.rows if row.lead_rating != Rating.NOT_ASSESSED)

    @property
    def self_rated(self) -> int:
        return sum(1 for row in self.rows if row.self_rating != Rating.NOT_ASSESSED)

    @property
    def differences(self) -> int:
        return sum(1 for row in self.rows if row.differs)


def _criteria_document(criteria: Iterable[PromotionCriterion], title: str) -> Document:
    """A document holding only one position's criteria, for diffing two versions of them.
    The position is always keyed ``target`` so that a renamed position key is no change."""
    document = empty_document()
    document["positions"] = [{"key": "target", "role": "", "level": "", "title": title}]
    document["criteria"] = [
        {
            "key": c.key,
            "position": "target",
            "text": c.text,
            "required": c.required,
            "evidence_hint": c.evidence_hint,
        }
        for c in criteria
    ]
    return document


def assessment_page(assessment: Assessment, *, show_self: bool) -> AssessmentPage:
    """The criteria of the target position with their ratings and evidence, the two
    positions' expectations side by side, and what a newer version changes.

    Seven queries, nine when a newer version exists: positions, criteria, ratings, evidence
    items, the comparison (two), the current version; then the newer version's target
    position and criteria.
    """
    a = assessment
    version = a.version
    wanted = {(a.from_role_key, a.from_level_key), (a.target_role_key, a.target_level_key)}
    found = {
        (p.role.key, p.level.key): p
        for p in Position.objects.filter(
            version=version,
            role__key__in={r for r, _ in wanted},
            level__key__in={lv for _, lv in wanted},
        ).select_related("role", "level", "level__track")
    }
    current = found.get((a.from_role_key, a.from_level_key))
    target = found.get((a.target_role_key, a.target_level_key))
    criteria = list(target_criteria(version, a.target_role_key, a.target_level_key))
    ratings = {
        r.criterion_key: r
        for r in CriterionRating.objects.filter(assessment=a).prefetch_related("items")
    }
    rows = [
        CriterionRow(i, c, ratings.get(c.key), show_self) for i, c in enumerate(criteria, start=1)
    ]
    comparison = None
    if current is not None and target is not None:
        comparison = compare_positions(version, current.key, target.key, a.person.sub_role_key)
    newer = current_version(version.framework_id)
    if newer is not None and newer.pk == version.pk:
        newer = None
    if newer is None or not a.is_open:
        return AssessmentPage(a, current, target, rows, comparison, newer, None, True, show_self)
    newer_target = position_at(newer, a.target_role_key, a.target_level_key)
    new_criteria = (
        list(target_criteria(newer, a.target_role_key, a.target_level_key)) if newer_target else []
    )
    title = newer_target.title if newer_target else (target.title if target else "")
    changes = build_diff_view(
        _criteria_document(criteria, title), _criteria_document(new_criteria, title)
    )
    return AssessmentPage(
        a, current, target, rows, comparison, newer, changes, newer_target is not None, show_self
    )
