"""Resolve people's positions (framework + role key + level key) in published versions.

One query for all positions of the current versions of the given frameworks, however many
people there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from roles.models import Position, SubRole, VersionStatus


@dataclass(frozen=True)
class PlacedPosition:
    position: Position
    sub_role: SubRole | None

    @property
    def title(self) -> str:
        return self.position.title


class PositionIndex:
    """Current positions (and sub-roles) by (framework id, role key, level key)."""

    def __init__(self, framework_ids: Iterable[int]):
        ids = set(framework_ids)
        self.positions: dict[tuple[int, str, str], Position] = {}
        self.sub_roles: dict[tuple[int, str], SubRole] = {}
        if not ids:
            return
        current = {"version__status": VersionStatus.PUBLISHED, "version__framework_id__in": ids}
        for pos in Position.objects.filter(**current).select_related(
            "role", "level", "level__track", "version"
        ):
            self.positions[(pos.version.framework_id, pos.role.key, pos.level.key)] = pos
        for sub in SubRole.objects.filter(**current).select_related("version"):
            self.sub_roles[(sub.version.framework_id, sub.key)] = sub

    def position(self, framework_id: int, role_key: str, level_key: str) -> Position | None:
        return self.positions.get((framework_id, role_key, level_key))

    def sub_role(self, framework_id: int, key: str) -> SubRole | None:
        return self.sub_roles.get((framework_id, key)) if key else None
