"""Caching of the published framework pages (README "Caching").

A published version never changes, so what a page shows of it is rendered once and kept:

* **Fragments.** The expensive part of a page that is the same for everybody — statements
  with their Markdown, the grid, a role's ladder, the path map, search results — is rendered
  by ``render_partials`` and kept in the cache under ``fragment_key``: the version (its pk,
  number, content hash, and whether it is current, as links differ), the framework's slug and
  ``updated_at`` (its name appears in captions), the page's parameters, the language and the
  release. A hit skips the selectors' queries as well as the rendering. Publishing makes a new
  version and archives the old one, so both get new keys: nothing is ever invalidated by
  hand, and superseded entries just expire. Fragments hold no dates (those depend on the
  viewer's time zone).

  Fragments are rendered **without the request**: no context processors, no user, no CSRF
  token — nothing about the viewer (navigation, pay, the "not current" banner, edit links) can
  end up in one. The view renders those around the fragments on every request.

* **Conditional GET.** ``validators`` computes a weak ETag before anything is rendered, from
  everything the page can show: the version and the current one (the banner), the user and
  what the header and the framework's navigation show them (evaluated once, and passed on to
  the page), the language and time zone, the CSRF cookie (pages embed a token), htmx, the
  query string, the release, and whatever the view adds (the pay section). A repeat GET with
  that ``If-None-Match`` is answered 304. Responses are ``Cache-Control: private, no-cache``
  (the browser revalidates every time; nothing in between keeps member-only pages).
  ``If-Modified-Since`` alone never gives a 304: the page also depends on who asks.

* **Anonymous pages.** For a visitor who is not logged in, everything the ETag is computed
  from but the CSRF cookie is the same for every visitor, so the whole page is kept under that
  digest, with a placeholder where the CSRF token goes; each visitor's response gets their own
  token. A hit costs the one query that finds the version — none with a shared cache, where
  the version lookup is cached too (roles/lookup_cache.py) and ``visitor_pages`` answers
  before the view (below). Members' pages are never kept whole (they show the member, and
  maybe pay).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import importlib.metadata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import BaseCache, caches
from django.core.cache import cache as default_cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.functional import LazyObject
from django.utils.http import http_date
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from roles import lookup_cache
from roles.access import is_editor, is_hr
from roles.models import FrameworkVersion

VARY = ("Cookie", "Accept-Language", "HX-Request")


def _digest(parts: Iterable[object]) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


# --- the release ----------------------------------------------------------------------------------


def _release_files() -> Iterator[tuple[str, Path]]:
    """What rendered pages are made of besides the code: every template of the project and
    its apps, the compiled translations, the static files manifest (hashed asset names)."""
    base = Path(settings.BASE_DIR).resolve()
    own_apps = [Path(a.path) for a in apps.get_app_configs() if Path(a.path).parent == base]
    template_dirs = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    template_dirs += [path / "templates" for path in own_apps]
    locale_dirs = [Path(d) for d in settings.LOCALE_PATHS] + [p / "locale" for p in own_apps]
    for root, pattern in [(d, "*") for d in template_dirs] + [(d, "*.mo") for d in locale_dirs]:
        if root.is_dir():
            for path in sorted(root.rglob(pattern)):
                if path.is_file():
                    yield path.relative_to(root).as_posix(), path
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        yield "staticfiles.json", manifest


def _package_version() -> str:
    try:
        return importlib.metadata.version("careerframe")
    except importlib.metadata.PackageNotFoundError:
        return ""


def _compute_release(configured: str) -> str:
    digest = hashlib.sha256(f"{configured}\x1f{_package_version()}".encode())
    for name, path in _release_files():
        digest.update(name.encode() + b"\x00" + path.read_bytes() + b"\x00")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=8)
def _release_for(configured: str, stamp: tuple = ()) -> str:
    return _compute_release(configured)


def release() -> str:
    """A token that changes with every deployment that could change a page:
    ``CAREERFRAME_RELEASE``, the package version, and a digest of the templates, translations
    and static manifest. Computed once per process; with ``DEBUG`` on, again whenever a file
    changes (the development server reloads templates without restarting)."""
    if settings.DEBUG:
        stamp = tuple((name, path.stat().st_mtime_ns) for name, path in _release_files())
        return _release_for(settings.CAREERFRAME_RELEASE, stamp)
    return _release_for(settings.CAREERFRAME_RELEASE)


# --- fragments ------------------------------------------------------------------------------------


def fragment_key(page: str, version: FrameworkVersion, **params: object) -> str:
    """The cache key of ``page``'s fragments for ``version`` with the page's parameters, in
    the active language."""
    framework = version.framework
    digest = _digest(
        [
            release(),
            translation.get_language(),
            framework.pk,
            framework.slug,
            framework.updated_at.isoformat(),
            version.number,
            version.status,
            version.document_sha256,
            *(f"{name}={params[name]!r}" for name in sorted(params)),
        ]
    )
    return f"careerframe:fragments:{page}:{version.pk}:{digest[:32]}"


def _tiers() -> list[BaseCache]:
    """Where entries are kept, nearest first: the process's own memory (``local``, when the
    default cache is shared), then the default cache. Entries either never change under their
    key (fragments, pages of a version) or carry the generation they were rendered in
    (visitors' pages, checked by ``valid``), so a copy in a process's memory is never served
    stale."""
    if "local" in settings.CACHES:
        return [caches["local"], default_cache]
    return [default_cache]


def cached(key: str, valid: Callable[[Any], bool] | None = None) -> Any:
    """The entry (fragments, a page) kept under ``key``, or None; with ``valid``, only an
    entry it accepts."""
    if not settings.CAREERFRAME_FRAGMENT_SECONDS:
        return None
    tiers = _tiers()
    for depth, tier in enumerate(tiers):
        entry = tier.get(key)
        if entry is not None and (valid is None or valid(entry)):
            for nearer in tiers[:depth]:
                nearer.set(key, entry, settings.CAREERFRAME_FRAGMENT_SECONDS)
            return entry
    return None


def store(key: str, entry: Any) -> None:
    if settings.CAREERFRAME_FRAGMENT_SECONDS:
        for tier in _tiers():
            tier.set(key, entry, settings.CAREERFRAME_FRAGMENT_SECONDS)


def fragments(key: str, build: Callable[[], dict]) -> dict:
    """The fragments under ``key``; on a miss, ``build()`` them (and keep them)."""
    entry = cached(key)
    if entry is None:
        entry = build()
        store(key, entry)
    return entry


def render_partials(template: str, names: Iterable[str], context: dict) -> dict[str, SafeString]:
    """Each named ``{% partialdef %}`` of ``template``, rendered with ``context`` alone — not
    the request, so nothing about the viewer can get into the HTML."""
    return {name: render_to_string(f"{template}#{name}", context) for name in names}


# --- conditional GET ------------------------------------------------------------------------------


@cache
def _context_processors() -> tuple[Callable, ...]:
    engine = engines["django"].engine
    return tuple(import_string(path) for path in engine.context_processors)


def header_values(request: HttpRequest) -> dict[str, object]:
    """The values the configured context processors give the site header, evaluated now: the
    navigation's links, the unread notifications badge (each lazy: one query at most), and
    plain values such as the language. The page's context takes them over, so nothing is
    queried twice. The CSRF token is left out: it differs on every render (the CSRF cookie is
    part of the ETag instead)."""
    values: dict[str, object] = {}
    for processor in _context_processors():
        for name, value in processor(request).items():
            if name == "csrf_token":
                continue
            if isinstance(value, LazyObject):
                str(value)  # evaluates it; the same object goes into the page's context
                values[name] = value
            elif value is None or isinstance(value, bool | int | str):
                values[name] = value
    return values


# The CSRF token in a page kept for anonymous visitors; each response gets the visitor's own.
CSRF_PLACEHOLDER = "careerframe-csrf-token-placeholder-4f1c9a"


@dataclass
class Validators:
    """What a read page's caching is decided by: its weak ETag (None: no conditional answer,
    e.g. while flash messages wait to be shown), its Last-Modified, the header values they
    were computed from, and for anonymous visitors the key of the whole page in the cache."""

    etag: str | None
    last_modified: datetime.datetime | None
    header: dict[str, object] = field(default_factory=dict)
    page_key: str | None = None
    page: str = ""  # the digest of everything the page shows (the ETag adds the CSRF cookie)

    def answer(self, request: HttpRequest) -> HttpResponseBase | None:
        """A response without building the page, or None: 304 when the client's copy is
        current; for an anonymous visitor, the page from the cache with their CSRF token."""
        if (response := self.not_modified(request)) is not None:
            return response
        if self.page_key is not None:
            html = cached(self.page_key)
            if html is not None:
                _keep_for_visitors(request, html, self)
                return self.serve(request, html)
        return None

    def not_modified(self, request: HttpRequest) -> HttpResponseBase | None:
        if self.etag is None:
            return None
        # last_modified is not passed: If-Modified-Since alone must never give a 304.
        response = get_conditional_response(request, etag=self.etag)
        return self.finish(response) if response is not None else None

    def serve(self, request: HttpRequest, html: str) -> HttpResponseBase:
        """A kept anonymous page, with the visitor's own CSRF token."""
        return self.finish(HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request))))

    def render(self, request: HttpRequest, template: str, context: dict) -> HttpResponseBase:
        """The whole page, with the header values already evaluated (not again). An anonymous
        visitor's is kept, with a placeholder for the CSRF token: whatever else the page
        shows is in its key, as in the ETag. Never a page that shows pay."""
        context = {**self.header, **context}
        if self.page_key is None or context.get("pay") is not None:
            return self.finish(render(request, template, context))
        response = render(request, template, {**context, "csrf_token": CSRF_PLACEHOLDER})
        html = response.content.decode(response.charset)
        store(self.page_key, html)
        _keep_for_visitors(request, html, self)
        response.content = html.replace(CSRF_PLACEHOLDER, get_token(request))
        return self.finish(response)

    def finish(self, response: HttpResponseBase) -> HttpResponseBase:
        """The validators and caching headers on a response of the page."""
        if self.etag is not None and response.status_code in (200, 304):
            response["ETag"] = self.etag
            if self.last_modified is not None:
                response["Last-Modified"] = http_date(self.last_modified.timestamp())
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, VARY)
        return response


def validators(
    request: HttpRequest,
    version: FrameworkVersion,
    current: FrameworkVersion | None,
    *extra: object,
) -> Validators:
    """The validators of a read page of ``version`` (``current``: the current version when
    ``version`` is not, for the banner). ``extra``: what else the page shows the viewer.

    No query for anonymous visitors; for members the group lookup, the editor check and the
    header's (which the page would make anyway)."""
    framework = version.framework
    header = header_values(request)
    changed = [framework.updated_at, version.published_at]
    if current is not None:
        changed.append(current.published_at)
    last_modified = max(d for d in changed if d is not None)
    if len(get_messages(request)):
        return Validators(None, last_modified, header)
    user = request.user
    parts: list[object] = [
        release(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        framework.pk,
        framework.slug,
        framework.updated_at.isoformat(),
        version.pk,
        version.number,
        version.status,
        version.document_sha256,
        current.pk if current else "",
        current.number if current else "",
    ]
    if user.is_authenticated:
        parts += [
            user.pk,
            user.get_username(),
            user.is_staff,
            user.is_superuser,
            is_hr(user),
            is_editor(user, framework),
        ]
    else:
        parts.append("anonymous")
    parts += [f"{name}={value}" for name, value in sorted(header.items())]
    parts += extra
    page = _digest(parts)
    page_key = None
    if not user.is_authenticated and not request.htmx:
        page_key = f"careerframe:page:{version.pk}:{page[:40]}"
    return Validators(_etag(request, page), last_modified, header, page_key, page)


def _etag(request: HttpRequest, page: str) -> str:
    etag = _digest([page, request.META.get("CSRF_COOKIE", "")])  # pages embed a CSRF token
    return f'W/"{etag[:40]}"'


# --- anonymous pages, ahead of the view -------------------------------------------------------
#
# With a shared cache (roles.lookup_cache on), a visitor's page is also kept under what the
# request asks for — path and query, language, time zone, release — stamped with the
# generation of frameworks and versions it was rendered in. ``visitor_pages`` answers from it
# before the view runs: one small cache read (the generation) and the page from the process's
# memory, without finding the version or computing the validators. Any change to a framework
# or version replaces the generation, so no kept page outlives what it shows: a publish, a
# framework made members-only, a renamed slug. The generation is read before the view renders,
# so a change committed meanwhile outdates the page rendered from the older rows.


@dataclass(frozen=True)
class _VisitorSlot:
    key: str
    generation: str


def _visitor_slot(request: HttpRequest) -> _VisitorSlot | None:
    if (
        request.method not in ("GET", "HEAD")
        or request.user.is_authenticated
        or request.htmx
        or not settings.CAREERFRAME_FRAGMENT_SECONDS
        or not lookup_cache.enabled()
        or len(get_messages(request))
    ):
        return None
    asked = [
        release(),
        request.get_full_path(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    ]
    key = f"careerframe:visitor-page:{_digest(asked)[:40]}"
    current = lookup_cache.generation()
    return _VisitorSlot(key, current) if current is not None else None


def _keep_for_visitors(request: HttpRequest, html: str, page: Validators) -> None:
    slot = getattr(request, "_careerframe_visitor_slot", None)
    if slot is not None and page.page:
        entry = {
            "generation": slot.generation,
            "html": html,
            "page": page.page,
            "last_modified": page.last_modified,
        }
        store(slot.key, entry)


def visitor_pages(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Decorates a read view of a published version: see the comment above."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        slot = _visitor_slot(request)
        if slot is not None:
            entry = cached(slot.key, lambda e: e["generation"] == slot.generation)
            if entry is not None:
                page = Validators(
                    _etag(request, entry["page"]), entry["last_modified"], page=entry["page"]
                )
                return page.not_modified(request) or page.serve(request, entry["html"])
            request._careerframe_visitor_slot = slot
        return view(request, *args, **kwargs)

    return wrapper
