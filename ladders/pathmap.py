"""Layout of the career path map, drawn as server-side SVG (pure, no database).

One column per role and track, one row per rank (most senior at the top). Every node knows
its neighbours so the map can be walked with the arrow keys.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

NODE_W, NODE_H = 184, 58
COL_GAP, ROW_GAP = 44, 46
MARGIN_X, HEADER_H, MARGIN_BOTTOM = 24, 64, 24
LINE_CHARS = 24


@dataclass
class MapPosition:
    key: str
    title: str
    role: str
    role_name: str
    track: str | None
    track_name: str
    rank: int
    url: str


@dataclass
class MapStep:
    source: str
    target: str
    kind: str
    note: str = ""


@dataclass
class Node:
    position: MapPosition
    x: int
    y: int
    lines: list[str]
    neighbours: dict[str, str] = field(default_factory=dict)
    steps_out: list[tuple[str, MapPosition]] = field(default_factory=list)

    @property
    def cx(self) -> int:
        return self.x + NODE_W // 2

    @property
    def text_y(self) -> int:
        return self.y + NODE_H // 2 - (len(self.lines) - 1) * 8 + 5


@dataclass
class Edge:
    kind: str
    d: str  # SVG path data
    both_ways: bool


@dataclass
class Column:
    x: int
    role_name: str
    track_name: str


@dataclass
class PathMap:
    width: int
    height: int
    columns: list[Column]
    nodes: list[Node]
    edges: list[Edge]


def layout(positions: list[MapPosition], steps: list[MapStep]) -> PathMap:
    """Place ``positions`` (given in ladder order) and route ``steps`` between them."""
    columns: list[tuple[str, str | None]] = []
    for pos in positions:
        if (pos.role, pos.track) not in columns:
            columns.append((pos.role, pos.track))
    ranks = sorted({p.rank for p in positions}, reverse=True)
    row_of = {rank: i for i, rank in enumerate(ranks)}
    col_x = {col: MARGIN_X + i * (NODE_W + COL_GAP) for i, col in enumerate(columns)}

    nodes: dict[str, Node] = {}
    for pos in sorted(positions, key=lambda p: (columns.index((p.role, p.track)), p.rank)):
        x = col_x[(pos.role, pos.track)]
        y = HEADER_H + row_of[pos.rank] * (NODE_H + ROW_GAP)
        lines = textwrap.wrap(pos.title, LINE_CHARS, max_lines=2, placeholder="…") or [pos.key]
        nodes[pos.key] = Node(pos, x, y, lines)
    _link_neighbours(nodes, columns, ranks)

    edges: list[Edge] = []
    drawn: set[frozenset[str]] = set()
    pairs = {(s.source, s.target) for s in steps}
    for step in steps:
        a, b = nodes.get(step.source), nodes.get(step.target)
        if a is None or b is None:
            continue
        a.steps_out.append((step.kind, b.position))
        pair = frozenset((step.source, step.target))
        if pair in drawn:
            continue
        drawn.add(pair)
        edges.append(Edge(step.kind, _route(a, b), (step.target, step.source) in pairs))

    width = MARGIN_X * 2 + max(len(columns), 1) * (NODE_W + COL_GAP) - COL_GAP
    height = HEADER_H + max(len(ranks), 1) * (NODE_H + ROW_GAP) - ROW_GAP + MARGIN_BOTTOM
    cols = [
        Column(
            col_x[col],
            next(p.role_name for p in positions if p.role == col[0]),
            next((p.track_name for p in positions if (p.role, p.track) == col), ""),
        )
        for col in columns
    ]
    return PathMap(width, height, cols, list(nodes.values()), edges)


def _route(a: Node, b: Node) -> str:
    if a.y == b.y:  # same rank: a curve below the row, so it does not cut through nodes
        left, right = (a, b) if a.x < b.x else (b, a)
        y = a.y + NODE_H
        dip = y + ROW_GAP * 0.7
        return f"M{left.cx},{y} C{left.cx},{dip:.0f} {right.cx},{dip:.0f} {right.cx},{y}"
    low, high = (a, b) if a.y > b.y else (b, a)
    y1, y2 = low.y, high.y + NODE_H
    mid = (y1 + y2) / 2
    if a is low:
        return f"M{low.cx},{y1} C{low.cx},{mid:.0f} {high.cx},{mid:.0f} {high.cx},{y2}"
    return f"M{high.cx},{y2} C{high.cx},{mid:.0f} {low.cx},{mid:.0f} {low.cx},{y1}"


def _link_neighbours(
    nodes: dict[str, Node], columns: list[tuple[str, str | None]], ranks: list[int]
) -> None:
    grid = {
        (columns.index((n.position.role, n.position.track)), ranks.index(n.position.rank)): n
        for n in nodes.values()
    }
    for (col, row), node in grid.items():
        for direction, (dc, dr) in {
            "up": (0, -1),
            "down": (0, 1),
            "left": (-1, 0),
            "right": (1, 0),
        }.items():
            c, r = col + dc, row + dr
            while 0 <= c < len(columns) and 0 <= r < len(ranks):
                if (c, r) in grid:
                    node.neighbours[direction] = grid[(c, r)].position.key
                    break
                c, r = c + dc, r + dr
