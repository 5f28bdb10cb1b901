"""Read shapes for the published-framework pages. Each docstring gives the query cost."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TypeVar

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from ladders.compare import CompetencyComparison, compare_statements
from roles.models import (
    Competency,
    Expectation,
    Framework,
    FrameworkVersion,
    PathKind,
    PathStep,
    Position,
    Role,
    SubRole,
    Track,
    VersionStatus,
)

S = TypeVar("S")  # a path step, as a caller loaded it

# --- frameworks list -------------------------------------------------------------------


def edited_frameworks(user) -> list[Framework]:
    """Frameworks whose draft ``user`` edits (every one for admins), published or not
    (one query; none for anonymous users)."""
    if not user.is_authenticated:
        return []
    frameworks = Framework.objects.all() if user.is_superuser else user.edited_frameworks.all()
    return list(frameworks.order_by("name"))


def framework_list(user) -> QuerySet[Framework]:
    """Readable frameworks that have a current version, with its number, date and counts.

    One query: the version fields and counts are correlated subqueries.
    """
    current = FrameworkVersion.objects.filter(
        framework=OuterRef("pk"), status=VersionStatus.PUBLISHED
    )

    def count(model) -> Subquery:
        return Subquery(
            model.objects.filter(version=OuterRef("current_id"))
            .order_by()
            .values("version")
            .annotate(n=Count("pk"))
            .values("n")
        )

    return (
        Framework.objects.visible_to(user)
        .annotate(
            current_id=Subquery(current.values("pk")[:1]),
            current_number=Subquery(current.values("number")[:1]),
            current_published_at=Subquery(current.values("published_at")[:1]),
        )
        .filter(current_id__isnull=False)
        .annotate(role_count=count(Role), position_count=count(Position))
        .order_by("name")
    )


def published_versions(framework: Framework) -> list[FrameworkVersion]:
    """Every published version, newest first (one query)."""
    return list(
        FrameworkVersion.objects.published().filter(framework=framework).order_by("-number")
    )


# --- overview grid ---------------------------------------------------------------------


@dataclass
class GridColumn:
    track: Track | None
    rank: int
    label: str


@dataclass
class GridGroup:
    track: Track | None
    columns: list[GridColumn]


@dataclass
class Grid:
    groups: list[GridGroup]
    rows: list[tuple[Role, list[Position | None]]]

    @property
    def has_tracks(self) -> bool:
        return any(g.track is not None for g in self.groups)


def overview_grid(version: FrameworkVersion) -> Grid:
    """Roles x levels, tracks as column groups (two queries: roles, positions+levels)."""
    roles = list(Role.objects.filter(version=version))
    positions = list(
        Position.objects.filter(version=version).select_related("level", "level__track")
    )
    tracks: dict[int | None, Track | None] = {}
    cols: dict[tuple[int | None, int], set[str]] = defaultdict(set)
    for pos in positions:
        tracks.setdefault(pos.level.track_id, pos.level.track)
        cols[(pos.level.track_id, pos.level.rank)].add(pos.level.name)

    def track_sort(track: Track | None) -> tuple[int, int]:
        # Ladders without a track come after the tracked ones (FT's legacy roles).
        return (1, 0) if track is None else (0, track.order)

    groups = []
    for track in sorted(tracks.values(), key=track_sort):
        tid = track.pk if track else None
        ranks = sorted(rank for (t, rank) in cols if t == tid)
        groups.append(
            GridGroup(
                track,
                [
                    GridColumn(
                        track,
                        rank,
                        next(iter(cols[(tid, rank)]))
                        if len(cols[(tid, rank)]) == 1
                        else _("Level %(rank)s") % {"rank": rank},
                    )
                    for rank in ranks
                ],
            )
        )
    cell = {(p.role_id, p.level.track_id, p.level.rank): p for p in positions}
    rows = [
        (
            role,
            [
                cell.get((role.pk, col.track.pk if col.track else None, col.rank))
                for group in groups
                for col in group.columns
            ],
        )
        for role in roles
    ]
    return Grid(groups, rows)


# --- role ------------------------------------------------------------------------------


@dataclass
class RoleLadder:
    role: Role
    tracks: list[tuple[Track | None, list[Position]]]
    sub_roles: list[SubRole]


def role_ladder(version: FrameworkVersion, role_key: str) -> RoleLadder:
    """A role with its positions per track, statement counts and sub-roles (three queries)."""
    role = Role.objects.filter(version=version, key=role_key).first()
    if role is None:
        raise Http404("No such role.")
    positions = (
        Position.objects.filter(role=role)
        .select_related("level", "level__track")
        .annotate(
            statement_count=Count("expectations", distinct=True),
            competency_count=Count("expectations__competency", distinct=True),
        )
        .order_by("level__rank", "level__track__order", "order")
    )
    by_track: OrderedDict[int | None, tuple[Track | None, list[Position]]] = OrderedDict()
    for pos in sorted(
        positions, key=lambda p: -1 if p.level.track is None else p.level.track.order
    ):
        by_track.setdefault(pos.level.track_id, (pos.level.track, []))[1].append(pos)
    for _track, items in by_track.values():
        items.sort(key=lambda p: p.level.rank)
    return RoleLadder(role, list(by_track.values()), list(role.sub_roles.all()))


# --- position --------------------------------------------------------------------------


@dataclass
class CompetencyBlock:
    competency: Competency
    statements: list[Expectation]


@dataclass
class CategoryBlock:
    name: str
    competencies: list[CompetencyBlock] = field(default_factory=list)


@dataclass
class PositionPage:
    position: Position
    categories: list[CategoryBlock]
    sub_roles: list[SubRole]
    sub_role: SubRole | None
    promotions: list[PathStep]  # steps out, with the target's criteria prefetched
    other_moves: list[PathStep]
    previous: list[PathStep]
    statement_count: int


def get_position(version: FrameworkVersion, role_key: str, level_key: str) -> Position:
    position = (
        Position.objects.filter(version=version, role__key=role_key, level__key=level_key)
        .select_related("role", "level", "level__track")
        .first()
    )
    if position is None:
        raise Http404("No such position.")
    return position


def position_page(
    version: FrameworkVersion,
    role_key: str,
    level_key: str,
    sub_role_key: str | None,
    *,
    position: Position | None = None,
) -> PositionPage:
    """Expectations grouped by category and competency, criteria for the next steps.

    Six queries whatever the size: position (none when given, as ``get_position`` loads
    it), sub-roles, expectations (+competency, sub-role), steps out (+target, level), their
    criteria, steps in.
    """
    if position is None:
        position = get_position(version, role_key, level_key)
    sub_roles = list(SubRole.objects.filter(role_id=position.role_id))
    sub_role = next((s for s in sub_roles if s.key == sub_role_key), None)
    expectations = (
        Expectation.objects.filter(position=position)
        .select_related("competency", "sub_role")
        .order_by("competency__order", "order")
    )
    if sub_role is not None:
        expectations = expectations.filter(Q(sub_role__isnull=True) | Q(sub_role=sub_role))
    categories: OrderedDict[str, CategoryBlock] = OrderedDict()
    blocks: dict[int, CompetencyBlock] = {}
    for exp in expectations:
        block = blocks.get(exp.competency_id)
        if block is None:
            block = blocks[exp.competency_id] = CompetencyBlock(exp.competency, [])
            category = exp.competency.category
            categories.setdefault(category, CategoryBlock(category)).competencies.append(block)
        block.statements.append(exp)
    steps_out = list(
        PathStep.objects.filter(from_position=position)
        .select_related("to_position", "to_position__role", "to_position__level")
        .prefetch_related("to_position__criteria")
        .order_by("order")
    )
    previous = list(
        PathStep.objects.filter(to_position=position, kind="promotion")
        .select_related("from_position", "from_position__role", "from_position__level")
        .order_by("order")
    )
    return PositionPage(
        position=position,
        categories=list(categories.values()),
        sub_roles=sub_roles,
        sub_role=sub_role,
        promotions=[s for s in steps_out if s.kind == "promotion"],
        other_moves=[s for s in steps_out if s.kind != "promotion"],
        previous=previous,
        statement_count=sum(len(b.statements) for b in blocks.values()),
    )


def position_choices(version: FrameworkVersion) -> list[tuple[Role, list[Position]]]:
    """Positions grouped by role for pickers (one query)."""
    grouped: OrderedDict[int, tuple[Role, list[Position]]] = OrderedDict()
    for pos in (
        Position.objects.filter(version=version)
        .select_related("role", "level")
        .order_by("role__order", "level__rank", "order")
    ):
        grouped.setdefault(pos.role_id, (pos.role, []))[1].append(pos)
    return list(grouped.values())


def sub_role_choices(version: FrameworkVersion) -> list[SubRole]:
    """Every specialism of the version, by role, for the compare picker (one query)."""
    return list(
        SubRole.objects.filter(version=version)
        .select_related("role")
        .order_by("role__order", "order")
    )


# --- compare ---------------------------------------------------------------------------


@dataclass
class Comparison:
    lower: Position
    higher: Position
    rows: list[CompetencyComparison]
    swapped: bool

    @property
    def counts(self) -> dict[str, int]:
        counts = {"new": 0, "changed": 0, "same": 0, "dropped": 0}
        for row in self.rows:
            for s in row.higher:
                counts[s.status] += 1
            counts["dropped"] += sum(1 for s in row.lower if s.status == "dropped")
        return counts


def compare_positions(
    version: FrameworkVersion, a_key: str, b_key: str, sub_role_key: str | None = None
) -> Comparison:
    """Statements of two positions side by side, per competency (two queries).

    Statements for every specialism are always compared; with ``sub_role_key`` those of
    that specialism too."""
    found = {
        p.key: p
        for p in Position.objects.filter(version=version, key__in=[a_key, b_key]).select_related(
            "role", "level", "level__track"
        )
    }
    if a_key not in found or b_key not in found:
        raise Http404("No such position.")
    a, b = found[a_key], found[b_key]
    swapped = a.level.rank > b.level.rank
    lower, higher = (b, a) if swapped else (a, b)
    texts: dict[tuple[int, int], list[str]] = defaultdict(list)
    competencies: OrderedDict[int, Competency] = OrderedDict()
    for exp in (
        Expectation.objects.filter(position__in=[lower, higher])
        .filter(Q(sub_role__isnull=True) | Q(sub_role__key=sub_role_key or ""))
        .select_related("competency")
        .order_by("competency__order", "order")
    ):
        competencies.setdefault(exp.competency_id, exp.competency)
        texts[(exp.position_id, exp.competency_id)].append(exp.text)
    rows = []
    for cid, comp in competencies.items():
        low, high = compare_statements(texts[(lower.pk, cid)], texts[(higher.pk, cid)])
        rows.append(CompetencyComparison(comp.key, comp.name, comp.category, low, high))
    return Comparison(lower, higher, rows, swapped)


def next_level_step(
    current: Position, steps: Iterable[S], to: Callable[[S], Position], kind: Callable[[S], str]
) -> S | None:
    """The rule for "the next level" from ``current``, wherever it is needed (the compare
    page's default, an assessment's default target, the pay band a person may see next):
    among ``current``'s path steps in their order, the first promotion that stays on its track,
    else the first promotion. ``to`` and ``kind`` read a step's target and kind, so callers
    pass what they already loaded. ``current.level`` and each target's level must be loaded.
    """
    promotions = [step for step in steps if kind(step) == PathKind.PROMOTION]
    track = current.level.track_id
    same_track = [step for step in promotions if to(step).level.track_id == track]
    return (same_track or promotions or [None])[0]


def next_level(position: Position) -> Position | None:
    """The next level from ``position`` by ``next_level_step`` (one query); ``position.level``
    must be loaded."""
    steps = (
        PathStep.objects.filter(from_position=position, kind=PathKind.PROMOTION)
        .select_related("to_position__level")
        .order_by("order", "pk")
    )
    step = next_level_step(position, steps, attrgetter("to_position"), attrgetter("kind"))
    return step.to_position if step else None


# --- path map --------------------------------------------------------------------------


def path_map_data(
    version: FrameworkVersion, role_key: str | None = None
) -> tuple[list[Position], list[PathStep]]:
    """Positions in ladder order and the steps between them (two queries)."""
    positions = Position.objects.filter(version=version).select_related(
        "role", "level", "level__track"
    )
    steps = PathStep.objects.filter(version=version).order_by("order")
    if role_key:
        positions = positions.filter(role__key=role_key)
        steps = steps.filter(from_position__role__key=role_key, to_position__role__key=role_key)
    ordered = sorted(
        positions,
        key=lambda p: (
            p.role.order,
            -1 if p.level.track is None else p.level.track.order,
            p.level.rank,
        ),
    )
    return ordered, list(steps.values_list("from_position_id", "to_position_id", "kind", "note"))


# --- search ----------------------------------------------------------------------------

SEARCH_LIMIT = 50


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[Expectation]
    positions: list[Position]


def search(version: FrameworkVersion, query: str) -> SearchResults:
    """Statements and position titles matching ``query`` (three queries: count, statements,
    titles), as ``search_querysets`` finds them."""
    query = query.strip()
    if not query:
        return SearchResults(query, 0, [], [])
    statements, titles = search_querysets(version, query)
    total = statements.count()
    return SearchResults(query, total, list(statements[:SEARCH_LIMIT]), list(titles[:10]))


def search_querysets(
    version: FrameworkVersion, query: str
) -> tuple[QuerySet[Expectation], QuerySet[Position]]:
    """Matching statements (with position, role, level, competency, sub-role) and matching
    position titles, best first; unevaluated, so callers slice or paginate them.

    PostgreSQL: full-text search (websearch syntax, English stemming), ranked.
    Elsewhere: every word must appear, case-insensitively. An empty query matches nothing.
    """
    query = query.strip()
    if not query:
        return Expectation.objects.none(), Position.objects.none()
    statements = Expectation.objects.filter(version=version).select_related(
        "position", "position__role", "position__level", "competency", "sub_role"
    )
    titles = Position.objects.filter(version=version).select_related("role", "level")
    if settings.USES_POSTGRES:
        ts_query = SearchQuery(query, search_type="websearch", config="english")
        vector = SearchVector("text", config="english")
        statements = (
            statements.annotate(document=vector)
            .filter(document=ts_query)
            .annotate(rank=SearchRank(vector, ts_query))
            .order_by("-rank", "order", "pk")
        )
        titles = titles.annotate(document=SearchVector("title", config="english")).filter(
            document=ts_query
        )
    else:
        for word in query.split():
            statements = statements.filter(text__icontains=word.strip('"'))
            titles = titles.filter(title__icontains=word.strip('"'))
        statements = statements.order_by("order", "pk")
    return statements, titles.order_by("order", "pk")


def get_position_by_key(version: FrameworkVersion, key: str) -> Position:
    position = Position.objects.filter(version=version, key=key).select_related("level").first()
    if position is None:
        raise Http404("No such position.")
    return position


def version_roles(version: FrameworkVersion) -> list[Role]:
    return list(Role.objects.filter(version=version))
