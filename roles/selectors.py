"""Read shapes of framework content."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, router
from django.db.models import Q, QuerySet
from django.db.models.deletion import Collector
from django.http import Http404

from roles.document import KINDS, Document
from roles.editing import element_label
from roles.models import (
    Competency,
    Expectation,
    Framework,
    FrameworkVersion,
    Level,
    PathStep,
    Position,
    PromotionCriterion,
    Role,
    SubRole,
    Track,
)
from roles.serialization import document_from_version


def version_for_export(*, framework: Framework, version: str) -> FrameworkVersion:
    """``version`` is a number, ``latest`` (the current published one) or ``draft``."""
    versions = FrameworkVersion.objects.filter(framework=framework)
    if version == "draft":
        found = versions.drafts().first()
    elif version == "latest":
        found = versions.current().first()
    elif version.isdigit():
        found = versions.published().filter(number=int(version)).first()
    else:
        raise ValueError(f"version must be a number, 'latest' or 'draft', not {version!r}")
    if found is None:
        raise FrameworkVersion.DoesNotExist(f"{framework.slug} has no version {version!r}")
    return found


def current_version(framework: Framework) -> FrameworkVersion:
    version = FrameworkVersion.objects.current().filter(framework=framework).first()
    if version is None:
        raise Http404("This framework has not been published yet.")
    return version


# --- draft editor ----------------------------------------------------------------------
# Read shapes of the draft editor's pages. Each docstring gives the query cost.


@dataclass
class OverviewRole:
    role: dict[str, Any]
    sub_roles: list[dict[str, Any]]
    positions: list[dict[str, Any]]  # each with "level_obj", "statements", "criteria"


@dataclass
class OverviewTrack:
    track: dict[str, Any] | None
    forks_from: dict[str, Any] | None
    levels: list[dict[str, Any]]  # each with "role_name" and "positions"


@dataclass
class OverviewCategory:
    name: str
    competencies: list[dict[str, Any]]  # each with "role_name" and "statements"


@dataclass
class DraftOverview:
    document: Document
    roles: list[OverviewRole]
    tracks: list[OverviewTrack]
    categories: list[OverviewCategory]
    counts: dict[str, int]


def draft_overview(draft: FrameworkVersion) -> DraftOverview:
    """Roles with their specialisms and positions, levels per track, competencies per
    category, and counts — all from the draft's document (one query per kind, nine)."""
    doc = document_from_version(draft)
    role_names = {r["key"]: r["name"] for r in doc["roles"]}
    levels = {lv["key"]: lv for lv in doc["levels"]}
    tracks = {t["key"]: t for t in doc["tracks"]}
    track_order = {t["key"]: i for i, t in enumerate(doc["tracks"])}
    statements = Counter(e["position"] for e in doc["expectations"])
    by_competency = Counter(e["competency"] for e in doc["expectations"])
    criteria = Counter(c["position"] for c in doc["criteria"])
    level_positions = Counter(p["level"] for p in doc["positions"])

    def ladder_order(position: dict[str, Any]) -> tuple[int, int, str]:
        level = levels[position["level"]]
        return (track_order.get(level["track"], -1), level["rank"], position["key"])

    roles = []
    for role in doc["roles"]:
        positions = [
            {
                **p,
                "level_obj": levels[p["level"]],
                "statements": statements[p["key"]],
                "criteria": criteria[p["key"]],
            }
            for p in doc["positions"]
            if p["role"] == role["key"]
        ]
        roles.append(
            OverviewRole(
                role,
                [s for s in doc["sub_roles"] if s["role"] == role["key"]],
                sorted(positions, key=ladder_order),
            )
        )
    grouped: dict[str | None, list[dict[str, Any]]] = {t["key"]: [] for t in doc["tracks"]}
    for level in doc["levels"]:
        grouped.setdefault(level["track"], []).append(
            {
                **level,
                "role_name": role_names.get(level["role"], ""),
                "positions": level_positions[level["key"]],
            }
        )
    overview_tracks = [
        OverviewTrack(
            tracks.get(key) if key else None,
            tracks.get(tracks[key]["forks_from"]) if key and tracks[key]["forks_from"] else None,
            sorted(items, key=lambda lv: (lv["rank"], lv["role_name"])),
        )
        for key, items in grouped.items()
        if key is not None or items
    ]
    categories: dict[str, OverviewCategory] = {}
    for comp in doc["competencies"]:
        categories.setdefault(comp["category"], OverviewCategory(comp["category"], []))
        categories[comp["category"]].competencies.append(
            {
                **comp,
                "role_name": role_names.get(comp["role"], ""),
                "statements": by_competency[comp["key"]],
            }
        )
    counts = {kind: len(doc[kind]) for kind in KINDS}
    return DraftOverview(doc, roles, overview_tracks, list(categories.values()), counts)


@dataclass
class Cell:
    """A position's statements for one competency: one cell of a role's matrix."""

    position: Position
    competency: Competency
    statements: list[Expectation]

    @property
    def anchor(self) -> str:
        return f"cell-{self.position.key}--{self.competency.key}"


@dataclass
class MatrixRow:
    competency: Competency
    cells: list[Cell]


@dataclass
class MatrixCategory:
    name: str
    rows: list[MatrixRow]


@dataclass
class ColumnGroup:
    track: Track | None
    positions: list[Position]


@dataclass
class RoleMatrix:
    role: Role
    roles: list[Role]  # every role of the draft, to switch between matrices
    sub_roles: list[SubRole]
    columns: list[ColumnGroup]
    categories: list[MatrixCategory]
    unused: int  # competencies the role could use but has no statement for (hidden)

    @property
    def positions(self) -> list[Position]:
        return [p for group in self.columns for p in group.positions]

    @property
    def has_tracks(self) -> bool:
        return any(group.track is not None for group in self.columns)


def _ladder_sorted(positions: Iterable[Position]) -> list[Position]:
    return sorted(
        positions,
        key=lambda p: (-1 if p.level.track is None else p.level.track.order, p.level.rank, p.order),
    )


def _by_category(rows: Iterable[MatrixRow]) -> list[MatrixCategory]:
    categories: dict[str, MatrixCategory] = {}
    for row in rows:
        name = row.competency.category
        categories.setdefault(name, MatrixCategory(name, [])).rows.append(row)
    return list(categories.values())


def role_for_editing(draft: FrameworkVersion, key: str) -> Role:
    role = Role.objects.filter(version=draft, key=key).first()
    if role is None:
        raise Http404("No such role in the draft.")
    return role


def role_competencies(draft: FrameworkVersion, role_id: int) -> QuerySet[Competency]:
    """Competencies a role's statements may use: shared ones and the role's own."""
    return Competency.objects.filter(version=draft).filter(Q(role=None) | Q(role_id=role_id))


def role_matrix(draft: FrameworkVersion, role_key: str, *, show_all: bool = False) -> RoleMatrix:
    """A role's competencies x its positions, statements in the cells (five queries: roles,
    positions with level and track, competencies, statements with sub-role, sub-roles).

    Competencies the role has no statement for are left out unless ``show_all``."""
    roles = list(Role.objects.filter(version=draft).order_by("order", "pk"))
    role = next((r for r in roles if r.key == role_key), None)
    if role is None:
        raise Http404("No such role in the draft.")
    positions = _ladder_sorted(
        Position.objects.filter(role=role).select_related("level", "level__track")
    )
    competencies = list(role_competencies(draft, role.pk))
    cells: dict[tuple[int, int], list[Expectation]] = defaultdict(list)
    for exp in (
        Expectation.objects.filter(position__role=role)
        .select_related("sub_role")
        .order_by("order", "pk")
    ):
        cells[(exp.competency_id, exp.position_id)].append(exp)
    used = {competency_id for competency_id, _ in cells}
    shown = [c for c in competencies if show_all or c.pk in used or not used]
    rows = [MatrixRow(c, [Cell(p, c, cells[(c.pk, p.pk)]) for p in positions]) for c in shown]
    columns: list[ColumnGroup] = []
    for position in positions:
        if not columns or columns[-1].track != position.level.track:
            columns.append(ColumnGroup(position.level.track, []))
        columns[-1].positions.append(position)
    return RoleMatrix(
        role,
        roles,
        list(SubRole.objects.filter(role=role)),
        columns,
        _by_category(rows),
        len(competencies) - len(shown),
    )


def cell_for_editing(draft: FrameworkVersion, position_key: str, competency_key: str) -> Cell:
    """One cell, for redrawing it after a change (three queries)."""
    position = (
        Position.objects.filter(version=draft, key=position_key).select_related("role").first()
    )
    competency = Competency.objects.filter(version=draft, key=competency_key).first()
    if position is None or competency is None:
        raise Http404("No such position or competency in the draft.")
    statements = list(
        Expectation.objects.filter(position=position, competency=competency)
        .select_related("sub_role")
        .order_by("order", "pk")
    )
    return Cell(position, competency, statements)


@dataclass
class PositionEditor:
    position: Position
    categories: list[MatrixCategory]  # rows with one cell each: this position
    criteria: list[PromotionCriterion]
    steps_out: list[PathStep]
    steps_in: list[PathStep]


def position_for_editing(draft: FrameworkVersion, key: str) -> Position:
    position = (
        Position.objects.filter(version=draft, key=key)
        .select_related("role", "level", "level__track")
        .first()
    )
    if position is None:
        raise Http404("No such position in the draft.")
    return position


def position_editor(draft: FrameworkVersion, key: str) -> PositionEditor:
    """A position with its statements by competency, criteria, and steps in and out
    (six queries: position, competencies, statements, criteria, steps out, steps in)."""
    position = position_for_editing(draft, key)
    statements: dict[int, list[Expectation]] = defaultdict(list)
    for exp in (
        Expectation.objects.filter(position=position)
        .select_related("sub_role")
        .order_by("order", "pk")
    ):
        statements[exp.competency_id].append(exp)
    rows = [
        MatrixRow(c, [Cell(position, c, statements[c.pk])])
        for c in role_competencies(draft, position.role_id)
    ]
    related = ("role", "level")
    return PositionEditor(
        position,
        _by_category(rows),
        list(PromotionCriterion.objects.filter(position=position).order_by("order", "pk")),
        list(
            PathStep.objects.filter(from_position=position)
            .select_related(*(f"to_position__{r}" for r in related))
            .order_by("order", "pk")
        ),
        list(
            PathStep.objects.filter(to_position=position)
            .select_related(*(f"from_position__{r}" for r in related))
            .order_by("order", "pk")
        ),
    )


def path_steps_for_editing(draft: FrameworkVersion) -> list[PathStep]:
    """Every path step with both positions' role and level (one query)."""
    return list(
        PathStep.objects.filter(version=draft)
        .select_related(
            "from_position__role",
            "from_position__level",
            "to_position__role",
            "to_position__level",
        )
        .order_by("order", "pk")
    )


@dataclass
class DeletionGroup:
    label: str
    count: int
    names: list[str]  # up to ten, for the kinds people recognise by name


def deletion_summary(element: models.Model) -> list[DeletionGroup]:
    """What deleting ``element`` deletes with it, per kind (one query per relation)."""
    collector = Collector(using=router.db_for_write(type(element)))
    collector.collect([element])
    found: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    counts: Counter[type[models.Model]] = Counter()
    for model, instances in collector.data.items():
        others = [i for i in instances if i.pk != element.pk or model is not type(element)]
        found[model].extend(others)
        counts[model] += len(others)
    for queryset in collector.fast_deletes:
        counts[queryset.model] += queryset.count()
    groups = []
    for model in CONTENT_ORDER:
        if counts[model]:
            label = element_label(model, counts[model])
            names = sorted(str(i) for i in found[model])[:10] if model in NAMED else []
            groups.append(DeletionGroup(str(label), counts[model], names))
    return groups


CONTENT_ORDER = (
    Track,
    Role,
    SubRole,
    Level,
    Competency,
    Position,
    Expectation,
    PromotionCriterion,
    PathStep,
)
NAMED = {Track, Role, SubRole, Level, Competency, Position}
