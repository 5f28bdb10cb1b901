"""Read shapes for the assessment pages and the publishing impact preview. Each docstring
gives the query cost; none grows with the number of assessments, criteria or people."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ladders.models import Person
from ladders.selectors import Comparison, compare_positions
from reviews.diffview import DiffView, build_diff_view
from reviews.models import (
    Assessment,
    AssessmentQuerySet,
    CriterionRating,
    EvidenceItem,
    Rating,
)
from roles.diff import diff_documents
from roles.document import Document, empty_document
from roles.models import (
    Framework,
    FrameworkVersion,
    PathKind,
    PathStep,
    Position,
    PromotionCriterion,
    VersionStatus,
)
from roles.serialization import document_from_version


def current_version(framework: Framework | int) -> FrameworkVersion | None:
    """The framework's current published version (one query)."""
    return FrameworkVersion.objects.current().filter(framework=framework).first()


def position_at(version: FrameworkVersion, role_key: str, level_key: str) -> Position | None:
    """The position for a role and level key in ``version`` (one query)."""
    return (
        Position.objects.filter(version=version, role__key=role_key, level__key=level_key)
        .select_related("role", "level", "level__track")
        .first()
    )


def target_criteria(version: FrameworkVersion, role_key: str, level_key: str):
    """Promotion criteria of a position, in document order."""
    return PromotionCriterion.objects.filter(
        version=version, position__role__key=role_key, position__level__key=level_key
    ).order_by("order", "pk")


# --- where a person can go ----------------------------------------------------------------

KIND_LABELS = {
    PathKind.PROMOTION: "promotion",
    PathKind.LATERAL: "lateral move",
    PathKind.TRACK_SWITCH: "track switch",
    "other": "any position (HR)",
}


@dataclass(frozen=True)
class TargetOption:
    position: Position
    kind: str

    @property
    def label(self) -> str:
        return f"{self.position.title} ({KIND_LABELS[self.kind]})"


@dataclass
class TargetChoices:
    current: Position | None
    options: list[TargetOption]
    default: TargetOption | None

    def find(self, position_key: str) -> TargetOption | None:
        return next((o for o in self.options if o.position.key == position_key), None)


def target_choices(person: Person, version: FrameworkVersion, *, hr: bool) -> TargetChoices:
    """Where ``person`` may be assessed for in ``version`` (two queries): every position a
    path step leads to from theirs — the default being the next level on their own track,
    else the first promotion — and, for HR, any other position too."""
    positions = list(
        Position.objects.filter(version=version)
        .select_related("role", "level", "level__track")
        .order_by("role__order", "level__rank", "level__track__order", "order")
    )
    current = next(
        (p for p in positions if (p.role.key, p.level.key) == (person.role_key, person.level_key)),
        None,
    )
    by_id = {p.pk: p for p in positions}
    steps = []
    if current is not None:
        steps = list(
            PathStep.objects.filter(from_position=current)
            .order_by("order", "pk")
            .values_list("to_position_id", "kind")
        )
    options = [TargetOption(by_id[to], kind) for to, kind in steps]
    promotions = [o for o in options if o.kind == PathKind.PROMOTION]
    same_track = [
        o for o in promotions if current and o.position.level.track_id == current.level.track_id
    ]
    default = (same_track or promotions or [None])[0]
    if hr:
        reachable = {o.position.pk for o in options}
        options += [
            TargetOption(p, "other")
            for p in positions
            if p.pk not in reachable and p is not current
        ]
    return TargetChoices(current=current, options=options, default=default)


# --- the list -------------------------------------------------------------------------------


def _count(queryset: QuerySet, group: str) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _title(role_field: str, level_field: str) -> Subquery:
    return Subquery(
        Position.objects.filter(
            version=OuterRef("version_id"),
            role__key=OuterRef(role_field),
            level__key=OuterRef(level_field),
        ).values("title")[:1]
    )


def assessment_list(assessments: AssessmentQuerySet) -> AssessmentQuerySet:
    """Assessments with people, versions and users joined, and annotated with the from and
    target titles, criteria rated / total, and the framework's current version number.

    One query: every annotation is a correlated subquery.
    """
    criteria = PromotionCriterion.objects.filter(
        version=OuterRef("version_id"),
        position__role__key=OuterRef("target_role_key"),
        position__level__key=OuterRef("target_level_key"),
    )
    rated = CriterionRating.objects.filter(assessment=OuterRef("pk")).exclude(
        rating=Rating.NOT_ASSESSED
    )
    current = FrameworkVersion.objects.filter(
        framework=OuterRef("version__framework_id"), status=VersionStatus.PUBLISHED
    )
    return assessments.select_related(
        "person", "person__framework", "version", "assessor", "decided_by"
    ).annotate(
        from_title=_title("from_role_key", "from_level_key"),
        target_title=_title("target_role_key", "target_level_key"),
        criteria_total=_count(criteria, "version"),
        criteria_rated=_count(rated, "assessment"),
        current_number=Subquery(current.values("number")[:1]),
    )


# --- one assessment ---------------------------------------------------------------------------


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


# --- impact of publishing on people and assessments -----------------------------------------


@dataclass
class ImpactPosition:
    key: str
    title: str
    role_key: str
    level_key: str
    status: str  # changed | removed
    expectations: int = 0
    criteria: int = 0
    people: list[Person] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)


@dataclass
class Impact:
    base: FrameworkVersion
    positions: list[ImpactPosition]  # positions that change and have people or assessments
    changed_positions: int

    @property
    def people_count(self) -> int:
        return sum(len(p.people) for p in self.positions)

    @property
    def assessments(self) -> list[Assessment]:
        seen: dict[int, Assessment] = {}
        for position in self.positions:
            for assessment in position.assessments:
                seen.setdefault(assessment.pk, assessment)
        return list(seen.values())

    @property
    def assessment_count(self) -> int:
        return len(self.assessments)


def version_impact(
    framework: Framework,
    *,
    new_document: Document,
    base: FrameworkVersion | None = None,
    base_document: Document | None = None,
) -> Impact | None:
    """Who is affected if ``new_document`` replaces the current published version: people
    sitting at positions whose expectations or criteria change (or that disappear), and the
    assessments in progress aimed at or starting from them. None if nothing is published.

    Twelve queries at most: the current version and its document (ten, skipped when passed
    in), people, assessments.
    """
    base = base or current_version(framework)
    if base is None:
        return None
    old = base_document if base_document is not None else document_from_version(base)
    diff = diff_documents(old, new_document)
    positions = {p["key"]: p for p in new_document["positions"]}
    positions.update({p["key"]: p for p in old["positions"]})  # people sit at the old ones
    affected: dict[str, ImpactPosition] = {}

    def touch(key: str, status: str = "changed") -> ImpactPosition | None:
        position = positions.get(key)
        if position is None:
            return None
        entry = affected.get(key)
        if entry is None:
            entry = affected[key] = ImpactPosition(
                key, position["title"], position["role"], position["level"], status
            )
        if status == "removed":
            entry.status = status
        return entry

    for entry in diff.entries:
        element = entry.new if entry.new is not None else entry.old
        if entry.kind == "positions" and entry.status == "removed":
            touch(entry.key, "removed")
        elif entry.kind in ("expectations", "criteria") and entry.status != "moved":
            impact = touch(element["position"])
            if impact is not None:
                if entry.kind == "criteria":
                    impact.criteria += 1
                else:
                    impact.expectations += 1
    by_cell = {(p.role_key, p.level_key): p for p in affected.values()}
    if by_cell:
        roles = {r for r, _ in by_cell}
        levels = {lv for _, lv in by_cell}
        for person in (
            Person.objects.active()
            .filter(framework=framework, role_key__in=roles, level_key__in=levels)
            .select_related("lead")
            .order_by("name", "pk")
        ):
            hit = by_cell.get((person.role_key, person.level_key))
            if hit is not None:
                hit.people.append(person)
        for assessment in (
            Assessment.objects.undecided()
            .filter(person__framework=framework)
            .select_related("person", "version")
            .order_by("pk")
        ):
            for cell in (
                (assessment.target_role_key, assessment.target_level_key),
                (assessment.from_role_key, assessment.from_level_key),
            ):
                hit = by_cell.get(cell)
                if hit is not None and assessment not in hit.assessments:
                    hit.assessments.append(assessment)
    listed = [p for p in affected.values() if p.people or p.assessments]
    return Impact(base=base, positions=listed, changed_positions=len(affected))


# --- CSV export -------------------------------------------------------------------------------

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
