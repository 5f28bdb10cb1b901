"""Resolve people's positions (framework + role key + level key) in published versions.

One query for the positions of the current versions of the given frameworks — all of them,
or only where the listed people sit — however many people there are.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from roles.models import Position, SubRole, VersionStatus


@dataclass(frozen=True)
class PlacedPosition:
    position: Position
    sub_role: SubRole | None

    @property
    def title(self) -> str:
        return self.position.title


class PositionIndex:
    """Current positions (and sub-roles) by (framework id, role key, level key).

    ``framework_ids``: every position of those frameworks' current versions. ``wanted``:
    instead, only the positions at these (framework id, role key, level key) — what a list of
    people needs, however many frameworks hold them and however large those are."""

    def __init__(
        self,
        framework_ids: Iterable[int] = (),
        *,
        wanted: Iterable[tuple[int, str, str]] | None = None,
    ):
        places = set(wanted) if wanted is not None else set()
        ids = {framework for framework, _, _ in places} | set(framework_ids)
        self.positions: dict[tuple[int, str, str], Position] = {}
        self.sub_roles: dict[tuple[int, str], SubRole] = {}
        if not ids:
            return
        current = {"version__status": VersionStatus.PUBLISHED, "version__framework_id__in": ids}
        positions = Position.objects.filter(**current)
        if wanted is not None:
            positions = positions.filter(_places(places))
        for pos in positions.select_related("role", "level", "level__track", "version"):
            self.positions[(pos.version.framework_id, pos.role.key, pos.level.key)] = pos
        for sub in SubRole.objects.filter(**current).select_related("version"):
            self.sub_roles[(sub.version.framework_id, sub.key)] = sub

    def position(self, framework_id: int, role_key: str, level_key: str) -> Position | None:
        return self.positions.get((framework_id, role_key, level_key))

    def sub_role(self, framework_id: int, key: str) -> SubRole | None:
        return self.sub_roles.get((framework_id, key)) if key else None


def _places(places: set[tuple[int, str, str]]) -> Q:
    """Positions at any of ``places``: per framework, its people's role and level keys (a
    few more combinations than asked at most, never fewer)."""
    by_framework: dict[int, tuple[set[str], set[str]]] = {}
    for framework, role, level in places:
        roles, levels = by_framework.setdefault(framework, (set(), set()))
        roles.add(role)
        levels.add(level)
    return functools.reduce(
        operator.or_,
        (
            Q(version__framework_id=framework, role__key__in=roles, level__key__in=levels)
            for framework, (roles, levels) in by_framework.items()
        ),
    )
