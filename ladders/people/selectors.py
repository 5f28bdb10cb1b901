"""Read shapes for the people pages: a fixed number of queries for any number of people."""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ladders.models import Person, PositionChange
from ladders.people.positions import PositionIndex
from roles.models import Position, SubRole


@dataclass
class PersonRow:
    person: Person
    position: Position | None
    sub_role: SubRole | None
    days_at_level: int

    @property
    def title(self) -> str:
        return (
            self.position.title
            if self.position
            else _("%(position)s (not in the current version)")
            % {"position": self.person.position_key}
        )


def directory(people: QuerySet[Person], *, today: datetime.date) -> list[PersonRow]:
    """People with their current position resolved: two queries (people, positions) plus
    one for specialisms."""
    people = list(people.filter(active=True).select_related("framework", "lead", "user"))
    index = PositionIndex(wanted={(p.framework_id, p.role_key, p.level_key) for p in people})
    return [
        PersonRow(
            person=p,
            position=index.position(p.framework_id, p.role_key, p.level_key),
            sub_role=index.sub_role(p.framework_id, p.sub_role_key),
            days_at_level=(today - p.position_since).days,
        )
        for p in people
    ]


def history(person: Person) -> QuerySet[PositionChange]:
    return person.history.select_related("recorded_by").order_by("-changed_on", "-pk")


@dataclass
class DistributionTable:
    framework_name: str
    levels: list[tuple[str, str, str]]  # (level key, name, track name)
    rows: list[tuple[str, list[int], int]] = field(default_factory=list)  # role, counts, total
    total: int = 0


def distribution(people: QuerySet[Person]) -> list[DistributionTable]:
    """How many people sit at each role × level, per framework, in the current versions'
    order (two queries)."""
    people = list(people.filter(active=True).select_related("framework"))
    index = PositionIndex(p.framework_id for p in people)
    tables: OrderedDict[int, dict] = OrderedDict()
    for p in sorted(people, key=lambda p: p.framework.name):
        position = index.position(p.framework_id, p.role_key, p.level_key)
        table = tables.setdefault(p.framework_id, {"name": p.framework.name, "cells": {}})
        role = position.role if position else None
        level = position.level if position else None
        key = (
            (role.order, role.name) if role else (10**9, p.role_key),
            (
                level.track.name if level and level.track else "",
                level.rank if level else 0,
                level.key if level else p.level_key,
                level.name if level else p.level_key,
            ),
        )
        table["cells"][key] = table["cells"].get(key, 0) + 1
    out = []
    for table in tables.values():
        levels = sorted({lv for (_r, lv) in table["cells"]}, key=lambda lv: (lv[0], lv[1]))
        roles = sorted({r for (r, _lv) in table["cells"]})
        result = DistributionTable(
            framework_name=table["name"],
            levels=[(lv[2], lv[3], lv[0]) for lv in levels],
        )
        for role in roles:
            counts = [table["cells"].get((role, lv), 0) for lv in levels]
            result.rows.append((role[1], counts, sum(counts)))
            result.total += sum(counts)
        out.append(result)
    return out


def leads():
    """Users who lead somebody, for the lead filter (one query)."""
    return get_user_model().objects.filter(reports__isnull=False).distinct().order_by("username")
