"""Published career paths: read-only pages for everyone allowed to read a framework."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from ladders import selectors
from ladders.exports import export_links
from ladders.pathmap import MapPosition, MapStep, layout
from ladders.urlhelpers import version_url
from roles.access import get_published_version_or_404
from roles.models import FrameworkVersion


def _version_context(version: FrameworkVersion) -> dict:
    current = None
    if not version.is_current:
        current = FrameworkVersion.objects.current().filter(framework=version.framework).first()
    return {"framework": version.framework, "version": version, "current_version": current}


def _render_htmx(request: HttpRequest, template: str, partial: str, context: dict) -> HttpResponse:
    """The whole page, or for htmx requests only its ``partial`` fragment."""
    response = render(request, f"{template}#{partial}" if request.htmx else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.framework_list(request.user)
    editing = selectors.edited_frameworks(request.user)
    return render(
        request, "ladders/framework_list.html", {"frameworks": frameworks, "editing": editing}
    )


@require_safe
def framework_detail(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    version = get_published_version_or_404(request.user, slug, number)
    context = _version_context(version)
    context["grid"] = selectors.overview_grid(version)
    context["versions"] = selectors.published_versions(version.framework)
    context["exports"] = export_links(version, "ladders:framework-export")
    return render(request, "ladders/framework_detail.html", context)


@require_safe
def role_detail(
    request: HttpRequest, slug: str, role: str, number: int | None = None
) -> HttpResponse:
    version = get_published_version_or_404(request.user, slug, number)
    context = _version_context(version)
    context["ladder"] = selectors.role_ladder(version, role)
    context["exports"] = export_links(version, "ladders:role-export", role=role)
    return render(request, "ladders/role_detail.html", context)


@require_safe
def position_detail(
    request: HttpRequest, slug: str, role: str, level: str, number: int | None = None
) -> HttpResponse:
    version = get_published_version_or_404(request.user, slug, number)
    context = _version_context(version)
    page = selectors.position_page(version, role, level, request.GET.get("sub_role") or None)
    context["page"] = page
    context["exports"] = export_links(version, "ladders:position-export", role=role, level=level)
    return _render_htmx(request, "ladders/position_detail.html", "statements", context)


@require_safe
def position_compare(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    version = get_published_version_or_404(request.user, slug, number)
    context = _version_context(version)
    context["choices"] = selectors.position_choices(version)
    a, b = request.GET.get("from", ""), request.GET.get("to", "")
    if a and not b:
        target = selectors.default_comparison_target(
            version, selectors.get_position_by_key(version, a)
        )
        b = target.key if target else ""
    sub_role = request.GET.get("sub_role") or None
    context["selected"] = (a, b)
    context["sub_role"] = sub_role
    context["sub_roles"] = selectors.sub_role_choices(version)
    if a and b:
        context["comparison"] = selectors.compare_positions(version, a, b, sub_role)
    return render(request, "ladders/position_compare.html", context)


@require_safe
def path_map(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    version = get_published_version_or_404(request.user, slug, number)
    context = _version_context(version)
    role_key = request.GET.get("role") or None
    positions, steps = selectors.path_map_data(version, role_key)
    by_pk = {p.pk: p for p in positions}
    context["map"] = layout(
        [
            MapPosition(
                key=p.key,
                title=p.title,
                role=p.role.key,
                role_name=p.role.name,
                track=p.level.track.key if p.level.track else None,
                track_name=p.level.track.name if p.level.track else "",
                rank=p.level.rank,
                url=version_url(
                    version, "ladders:position-detail", role=p.role.key, level=p.level.key
                ),
            )
            for p in positions
        ],
        [
            MapStep(by_pk[src].key, by_pk[dst].key, kind, note)
            for src, dst, kind, note in steps
            if src in by_pk and dst in by_pk
        ],
    )
    context["roles"] = selectors.version_roles(version)
    context["role_key"] = role_key
    return render(request, "ladders/path_map.html", context)


@require_safe
def search(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    version = get_published_version_or_404(request.user, slug, number)
    context = _version_context(version)
    context["results"] = selectors.search(version, request.GET.get("q", "")[:200])
    return _render_htmx(request, "ladders/search.html", "results", context)
