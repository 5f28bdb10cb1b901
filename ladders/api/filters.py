"""Filtering lists by element keys: ``?role=design&track=ic``.

A view names its filters in ``key_filters``: query parameter -> ``KeyFilter``. An unknown key
matches nothing (an empty list, not an error), so a client cannot tell a key that was never
there from one without matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from rest_framework.filters import BaseFilterBackend

from roles.models import Position


@dataclass(frozen=True)
class KeyFilter:
    description: str
    # A field lookup (``role__key``), or a function from the value to a condition.
    lookup: str | Callable[[str], Q | Exists]

    def condition(self, value: str) -> Q | Exists:
        if callable(self.lookup):
            return self.lookup(value)
        return Q(**{self.lookup: value})


def level_of_role(value: str) -> Exists:
    """Levels on a role's ladder: those it has a position at (shared or its own)."""
    return Exists(Position.objects.filter(level=OuterRef("pk"), role__key=value))


def applies_to_role(value: str) -> Q:
    """Competencies shared by every role, plus the role's own."""
    return Q(role__isnull=True) | Q(role__key=value)


def for_sub_role(value: str) -> Q:
    """Statements for every specialism, plus those of this one (as the position page)."""
    return Q(sub_role__isnull=True) | Q(sub_role__key=value)


class KeyFilterBackend(BaseFilterBackend):
    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        for param, key_filter in getattr(view, "key_filters", {}).items():
            value = request.query_params.get(param)
            if value:
                queryset = queryset.filter(key_filter.condition(value))
        return queryset

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": param,
                "required": False,
                "in": "query",
                "description": key_filter.description,
                "schema": {"type": "string"},
            }
            for param, key_filter in getattr(view, "key_filters", {}).items()
        ]
