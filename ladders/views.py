"""Published career paths: read-only pages for everyone allowed to read a framework.

Every page of a published version is cached (ladders/caching.py): its user-independent part
as rendered fragments, and for anonymous visitors the whole page; each answers conditional
GETs by a weak ETag. The header, the "not current" banner, edit links and pay are rendered
per request around the fragments."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ladders import caching, selectors
from ladders.exports import export_links
from ladders.pathmap import MapPosition, MapStep, layout
from ladders.pay.selectors import PositionPay, position_pay
from ladders.urlhelpers import version_url
from roles.access import get_published_version_or_404
from roles.models import FrameworkVersion


def _version_context(version: FrameworkVersion) -> dict:
    current = None
    if not version.is_current:
        current = FrameworkVersion.objects.current().filter(framework=version.framework).first()
    return {"framework": version.framework, "version": version, "current_version": current}


def _fragment_context(version: FrameworkVersion, **values: object) -> dict:
    """What a cached fragment is rendered from: the version and the page's own data, never
    anything about the viewer."""
    return {"framework": version.framework, "version": version, **values}


@require_safe
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.framework_list(request.user)
    editing = selectors.edited_frameworks(request.user)
    return render(
        request, "ladders/framework_list.html", {"frameworks": frameworks, "editing": editing}
    )


@require_safe
@caching.visitor_pages
def framework_detail(
    request: HttpRequest, slug: str, number: int | None = None
) -> HttpResponseBase:
    version = get_published_version_or_404(request.user, slug, number)
    context = _version_context(version)
    validators = caching.validators(request, version, context["current_version"])
    if (answer := validators.answer(request)) is not None:
        return answer
    context["fragments"] = caching.fragments(
        caching.fragment_key("framework", version),
        lambda: caching.render_partials(
            "ladders/framework_detail.html",
            ["grid"],
            _fragment_context(version, grid=selectors.overview_grid(version)),
        ),
    )
    context["versions"] = selectors.published_versions(version.framework)
    context["exports"] = export_links(version, "ladders:framework-export")
    return validators.render(request, "ladders/framework_detail.html", context)


@require_safe
@caching.visitor_pages
def role_detail(
    request: HttpRequest, slug: str, role: str, number: int | None = None
) -> HttpResponseBase:
    version = get_published_version_or_404(request.user, slug, number)
    context = _version_context(version)
    validators = caching.validators(request, version, context["current_version"])
    if (answer := validators.answer(request)) is not None:
        return answer

    def build() -> dict:
        ladder = selectors.role_ladder(version, role)
        exports = export_links(version, "ladders:role-export", role=role)
        return {
            "role": ladder.role,
            **caching.render_partials(
                "ladders/role_detail.html",
                ["main"],
                _fragment_context(version, ladder=ladder, exports=exports),
            ),
        }

    entry = caching.fragments(caching.fragment_key("role", version, role=role), build)
    context["role"] = entry["role"]
    context["fragments"] = entry
    return validators.render(request, "ladders/role_detail.html", context)


def _pay_state(pay: PositionPay | None) -> str:
    """Everything the pay section shows, for the ETag (which only carries its digest)."""
    if pay is None:
        return "pay:none"
    fields = ("pk", "sub_role_key", "region", "currency", "minimum", "midpoint", "maximum")
    bands = [[getattr(b, f) for f in (*fields, "effective_on")] for b in pay.bands]
    return f"pay:{pay.relation}:{sorted(pay.sub_roles.items())}:{bands}"


@require_safe
@caching.visitor_pages
def position_detail(
    request: HttpRequest, slug: str, role: str, level: str, number: int | None = None
) -> HttpResponseBase:
    version = get_published_version_or_404(request.user, slug, number)
    context = _version_context(version)
    sub_role = request.GET.get("sub_role") or None
    key = caching.fragment_key("position", version, role=role, level=level, sub_role=sub_role)
    entry = position = pay = None
    if request.user.is_authenticated and not request.htmx:  # nobody else sees pay
        entry = caching.cached(key)
        # On a miss, only the position before the answer: a 304 needs nothing else.
        position = entry["position"] if entry else selectors.get_position(version, role, level)
        pay = position_pay(request.user, version, position, today=timezone.localdate())
    validators = caching.validators(request, version, context["current_version"], _pay_state(pay))
    if (answer := validators.answer(request)) is not None:
        return answer
    entry = entry or caching.cached(key)
    if entry is None:
        page = selectors.position_page(version, role, level, sub_role, position=position)
        position = page.position
        exports = export_links(version, "ladders:position-export", role=role, level=level)
        entry = {
            "position": position,
            **caching.render_partials(
                "ladders/position_detail.html",
                ["intro", "statements", "steps"],
                _fragment_context(version, page=page, position=position, exports=exports),
            ),
        }
        caching.store(key, entry)
    if request.htmx:
        return validators.finish(HttpResponse(entry["statements"]))
    context.update(position=entry["position"], fragments=entry, pay=pay)
    return validators.render(request, "ladders/position_detail.html", context)


@require_safe
@caching.visitor_pages
def position_compare(
    request: HttpRequest, slug: str, number: int | None = None
) -> HttpResponseBase:
    version = get_published_version_or_404(request.user, slug, number)
    context = _version_context(version)
    validators = caching.validators(request, version, context["current_version"])
    if (answer := validators.answer(request)) is not None:
        return answer
    a, b = request.GET.get("from", ""), request.GET.get("to", "")
    sub_role = request.GET.get("sub_role") or None

    def build() -> dict:
        target = b
        if a and not b:
            found = selectors.next_level(selectors.get_position_by_key(version, a))
            target = found.key if found else ""
        values = {
            "choices": selectors.position_choices(version),
            "selected": (a, target),
            "sub_role": sub_role,
            "sub_roles": selectors.sub_role_choices(version),
        }
        if a and target:
            values["comparison"] = selectors.compare_positions(version, a, target, sub_role)
        return caching.render_partials(
            "ladders/position_compare.html", ["main"], _fragment_context(version, **values)
        )

    key = caching.fragment_key("compare", version, a=a, b=b, sub_role=sub_role)
    context["fragments"] = caching.fragments(key, build)
    return validators.render(request, "ladders/position_compare.html", context)


@require_safe
@caching.visitor_pages
def path_map(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponseBase:
    version = get_published_version_or_404(request.user, slug, number)
    context = _version_context(version)
    validators = caching.validators(request, version, context["current_version"])
    if (answer := validators.answer(request)) is not None:
        return answer
    role_key = request.GET.get("role") or None

    def build() -> dict:
        positions, steps = selectors.path_map_data(version, role_key)
        by_pk = {p.pk: p for p in positions}
        path_map = layout(
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
        values = {"map": path_map, "roles": selectors.version_roles(version), "role_key": role_key}
        return caching.render_partials(
            "ladders/path_map.html", ["main"], _fragment_context(version, **values)
        )

    key = caching.fragment_key("paths", version, role=role_key)
    context["fragments"] = caching.fragments(key, build)
    return validators.render(request, "ladders/path_map.html", context)


@require_safe
@caching.visitor_pages
def search(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponseBase:
    version = get_published_version_or_404(request.user, slug, number)
    context = _version_context(version)
    validators = caching.validators(request, version, context["current_version"])
    if (answer := validators.answer(request)) is not None:
        return answer
    query = request.GET.get("q", "")[:200].strip()
    entry = caching.fragments(
        caching.fragment_key("search", version, q=query),
        lambda: caching.render_partials(
            "ladders/search.html",
            ["results"],
            _fragment_context(version, results=selectors.search(version, query)),
        ),
    )
    if request.htmx:
        return validators.finish(HttpResponse(entry["results"]))
    context["query"] = query
    context["fragments"] = entry
    return validators.render(request, "ladders/search.html", context)
