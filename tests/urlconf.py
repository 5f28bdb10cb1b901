"""The URLconf as a list, for tests that must cover every route (the access matrix, the pay
leak walk, the CSRF exemptions): a new view is in their scope without anyone adding it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str | None  # with its namespaces, as reverse() takes it ("ladders:role-detail")
    route: str  # the whole route, prefixes included
    params: frozenset[str]  # the URL arguments it takes
    namespace: str  # "" outside any namespace; nested ones joined with ":"
    view: Callable


def url_routes() -> list[Route]:
    """Every pattern of the project's URLconf, in order."""

    def walk(patterns, prefix: str, namespaces: tuple[str, ...], params: frozenset[str]):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            here = params | frozenset(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                yield from walk(pattern.url_patterns, route, inner, here)
            else:
                name = ":".join([*namespaces, pattern.name]) if pattern.name else None
                yield Route(name, route, here, ":".join(namespaces), pattern.callback)

    return list(walk(get_resolver().url_patterns, "", (), frozenset()))
