"""Read shapes of the API: one queryset per resource, with every relation its serializer
touches loaded up front. Each docstring gives the query cost of one page of results."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from ladders.selectors import framework_list
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
    Track,
)


def readable_framework(user, slug: str) -> Framework:
    """A framework ``user`` may read that has a published version, with its current version's
    number and counts (one query) — the frameworks list's rule, so list and detail agree."""
    framework = framework_list(user).filter(slug=slug).first()
    if framework is None:
        raise Http404("No such framework.")
    return framework


def published_versions(framework: Framework) -> QuerySet[FrameworkVersion]:
    """Published versions, newest first (one query)."""
    return (
        FrameworkVersion.objects.published()
        .filter(framework=framework)
        .select_related("framework")
        .order_by("-number")
    )


def tracks(version: FrameworkVersion) -> QuerySet[Track]:
    """Tracks with the track each forks from (one query)."""
    return Track.objects.filter(version=version).select_related("forks_from")


def roles(version: FrameworkVersion) -> QuerySet[Role]:
    """Roles and their sub-roles (two queries)."""
    return Role.objects.filter(version=version).prefetch_related("sub_roles")


def levels(version: FrameworkVersion) -> QuerySet[Level]:
    """Levels with their track and role (one query)."""
    return Level.objects.filter(version=version).select_related("track", "role")


def competencies(version: FrameworkVersion) -> QuerySet[Competency]:
    """Competencies with the role they are specific to (one query)."""
    return Competency.objects.filter(version=version).select_related("role")


def positions(
    version: FrameworkVersion, competency: str | None = None, sub_role: str | None = None
) -> QuerySet[Position]:
    """Positions with role, level and track, their statements (with competency and sub-role)
    and promotion criteria (three queries).

    ``competency`` keeps only that competency's statements; ``sub_role`` keeps the statements
    for every specialism plus those of that one (as the position page does).
    """
    statements = Expectation.objects.select_related("competency", "sub_role")
    if competency:
        statements = statements.filter(competency__key=competency)
    if sub_role:
        statements = statements.filter(Q(sub_role__isnull=True) | Q(sub_role__key=sub_role))
    return (
        Position.objects.filter(version=version)
        .select_related("role", "level", "level__track")
        .prefetch_related(
            Prefetch("expectations", queryset=statements),
            Prefetch("criteria", queryset=PromotionCriterion.objects.all()),
        )
    )


def expectations(version: FrameworkVersion) -> QuerySet[Expectation]:
    """Statements with their position (role, level), competency and sub-role (one query)."""
    return Expectation.objects.filter(version=version).select_related(
        "position", "position__role", "position__level", "competency", "sub_role"
    )


def path_steps(version: FrameworkVersion) -> QuerySet[PathStep]:
    """Path steps with both positions and their roles and levels (one query)."""
    return PathStep.objects.filter(version=version).select_related(
        "from_position",
        "from_position__role",
        "from_position__level",
        "to_position",
        "to_position__role",
        "to_position__level",
    )
