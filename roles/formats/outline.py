"""A framework document arranged for reading: role -> position -> category -> competency.

The shape the printable exports (Markdown, PDF) and the XLSX matrix sheets share: each
role's positions in ladder order (track, then rank), its competencies grouped by category,
and the statements of each (position, competency) cell. Pure, no database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from roles.document import Document

Item = dict[str, Any]
# How the printable exports introduce a path step's target position.
STEP_LABELS = {"promotion": "Promotion to", "track_switch": "Switch to", "lateral": "Move to"}


@dataclass
class Cell:
    """The statements of one position for one competency, in document order."""

    general: list[str] = field(default_factory=list)
    # (sub-role, its statements) in the role's sub-role order
    by_sub_role: list[tuple[Item, list[str]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.general or self.by_sub_role)


@dataclass
class CompetencyCell:
    competency: Item
    cell: Cell


@dataclass
class Category:
    name: str  # "" when the competencies have none
    competencies: list[CompetencyCell]


@dataclass
class PositionOutline:
    position: Item
    level: Item
    track: Item | None
    categories: list[Category]  # only competencies with statements at this position
    criteria: list[Item]
    steps: list[tuple[Item, Item]]  # (path step, target position) leaving this position


@dataclass
class RoleOutline:
    role: Item
    sub_roles: list[Item]
    positions: list[PositionOutline]
    # Every competency of the role (its own ones and the shared ones it uses), grouped by
    # category in order of first appearance.
    competencies: list[Item]
    cells: dict[tuple[str, str], Cell]  # (position key, competency key) -> statements

    def cell(self, position: str, competency: str) -> Cell:
        return self.cells.get((position, competency)) or Cell()


def outline(document: Document) -> list[RoleOutline]:
    """Every role of ``document`` in document order (one pass per kind)."""
    levels = {lv["key"]: lv for lv in document["levels"]}
    tracks = {t["key"]: t for t in document["tracks"]}
    track_index = {t["key"]: i for i, t in enumerate(document["tracks"])}
    positions = {p["key"]: p for p in document["positions"]}
    sub_roles = {s["key"]: s for s in document["sub_roles"]}

    cells: dict[str, dict[tuple[str, str], Cell]] = defaultdict(dict)
    used: dict[str, set[str]] = defaultdict(set)
    for exp in document["expectations"]:
        role = positions[exp["position"]]["role"]
        used[role].add(exp["competency"])
        cell = cells[role].setdefault((exp["position"], exp["competency"]), Cell())
        if exp["sub_role"] is None:
            cell.general.append(exp["text"])
            continue
        sub = sub_roles[exp["sub_role"]]
        for owner, texts in cell.by_sub_role:
            if owner is sub:
                texts.append(exp["text"])
                break
        else:
            cell.by_sub_role.append((sub, [exp["text"]]))
    criteria: dict[str, list[Item]] = defaultdict(list)
    for criterion in document["criteria"]:
        criteria[criterion["position"]].append(criterion)
    steps: dict[str, list[tuple[Item, Item]]] = defaultdict(list)
    for step in document["path_steps"]:
        steps[step["from"]].append((step, positions[step["to"]]))

    def ladder_order(position: Item) -> tuple[int, int]:
        level = levels[position["level"]]
        return (track_index.get(level["track"], -1), level["rank"])

    result = []
    for role in document["roles"]:
        key = role["key"]
        role_cells = cells[key]
        own = [c for c in document["competencies"] if c["role"] == key or c["key"] in used[key]]
        grouped = _by_category(own)
        role_sub_roles = [s for s in document["sub_roles"] if s["role"] == key]
        order = {s["key"]: i for i, s in enumerate(role_sub_roles)}
        for cell in role_cells.values():
            cell.by_sub_role.sort(key=lambda pair: order[pair[0]["key"]])
        ladder = sorted((p for p in document["positions"] if p["role"] == key), key=ladder_order)
        outlines = []
        for pos in ladder:
            level = levels[pos["level"]]
            categories: list[Category] = []
            for comp in grouped:
                cell = role_cells.get((pos["key"], comp["key"]))
                if not cell:
                    continue
                if not categories or categories[-1].name != comp["category"]:
                    categories.append(Category(comp["category"], []))
                categories[-1].competencies.append(CompetencyCell(comp, cell))
            outlines.append(
                PositionOutline(
                    pos,
                    level,
                    tracks.get(level["track"]) if level["track"] else None,
                    categories,
                    criteria[pos["key"]],
                    steps[pos["key"]],
                )
            )
        result.append(RoleOutline(role, role_sub_roles, outlines, grouped, role_cells))
    return result


def _by_category(competencies: list[Item]) -> list[Item]:
    """Competencies grouped by category (categories in order of first appearance)."""
    groups: dict[str, list[Item]] = {}
    for comp in competencies:
        groups.setdefault(comp["category"], []).append(comp)
    return [comp for group in groups.values() for comp in group]
