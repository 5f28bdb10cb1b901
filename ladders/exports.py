"""Downloads of a published version: the whole framework, one role, or one position.

Anyone who may read the version's pages may download it (DESIGN.md section 6): the same
``get_published_version_or_404`` as the pages, so a hidden framework is 404 here too.
``?format=`` picks the format (``roles.io.EXPORT_LABELS``); a position is printed only
(PDF, Markdown). Files are named ``<slug>-v<N>[-<role or position>].<ext>``.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from ladders.urlhelpers import version_url
from roles import io
from roles.access import get_published_version_or_404
from roles.formats.subset import UnknownElement
from roles.models import FrameworkVersion


def export_links(version: FrameworkVersion, name: str, **kwargs: str) -> list[io.ExportLink]:
    """The export menu of a page: a link per format to the export view ``name``."""
    url = version_url(version, name, **kwargs)
    return io.export_links(url, position=name == "ladders:position-export")


def _download(request: HttpRequest, version: FrameworkVersion, **scope: str) -> HttpResponse:
    try:
        file = io.version_export(version=version, fmt=request.GET.get("format", ""), **scope)
    except ValueError:
        raise Http404("No such export format.") from None
    except UnknownElement:
        raise Http404("No such role or position.") from None
    return io.attachment(file)


@require_safe
def framework_export(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    version = get_published_version_or_404(request.user, slug, number)
    return _download(request, version)


@require_safe
def role_export(
    request: HttpRequest, slug: str, role: str, number: int | None = None
) -> HttpResponse:
    version = get_published_version_or_404(request.user, slug, number)
    return _download(request, version, role=role)


@require_safe
def position_export(
    request: HttpRequest, slug: str, role: str, level: str, number: int | None = None
) -> HttpResponse:
    version = get_published_version_or_404(request.user, slug, number)
    return _download(request, version, role=role, level=level)
