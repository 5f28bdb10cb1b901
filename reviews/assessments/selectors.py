"""Read shapes for assessments: where a person can be assessed for, the list, and whom
publishing a new version affects (the round page's impact preview). One assessment's page
is in ``page.py``. Each docstring gives the query cost; none grows with the number of
assessments, criteria or people."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ladders.models import Person
from ladders.selectors import next_level_step
from reviews.models import (
    Assessment,
    AssessmentQuerySet,
    CriterionRating,
    Rating,
)
from roles.diff import diff_documents
from roles.document import Document
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
    PathKind.PROMOTION: _("promotion"),
    PathKind.LATERAL: _("lateral move"),
    PathKind.TRACK_SWITCH: _("track switch"),
    "other": _("any position (HR)"),
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
    default = None
    if current is not None:
        default = next_level_step(current, options, attrgetter("position"), attrgetter("kind"))
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
