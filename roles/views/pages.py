"""The draft editor's pages: the draft overview, a role's matrix, a position's editor,
the path steps, and the Markdown preview of a statement form (see ``roles.views``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST, require_safe

from roles import io, quality, selectors
from roles.markdown import render_markdown
from roles.models import Expectation, FrameworkVersion
from roles.serialization import document_from_version
from roles.views.common import draft_url, draft_view, page_context, render_page


def _quality_options() -> dict[str, Any]:
    return {
        "vague_words": settings.CAREERFRAME_VAGUE_WORDS,
        "max_length": settings.CAREERFRAME_MAX_STATEMENT_LENGTH,
    }


@draft_view
@require_safe
def draft_detail(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    overview = selectors.draft_overview(draft)
    issues = quality.check_document(overview.document, **_quality_options())
    context = page_context(
        request,
        draft,
        overview=overview,
        quality_groups=quality.group_issues(issues),
        exports=io.export_links(draft_url(draft, "draft-export")),
    )
    return render_page(request, "roles/draft_detail.html", context)


@draft_view
@require_safe
def role_matrix(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    show_all = request.GET.get("competencies") == "all"
    matrix = selectors.role_matrix(draft, key, show_all=show_all)
    positions = {p.key for p in matrix.positions}
    issues = [
        issue
        for issue in quality.check_document(document_from_version(draft), **_quality_options())
        if issue.target.key == key or issue.target.key in positions
    ]
    context = page_context(
        request,
        draft,
        matrix=matrix,
        show_all=show_all,
        quality_groups=quality.group_issues(issues),
    )
    return render_page(request, "roles/role_matrix.html", context)


@draft_view
@require_safe
def position_detail(request: HttpRequest, draft: FrameworkVersion, key: str) -> HttpResponse:
    if request.htmx:  # "Cancel" on the inline title form: the title block again
        position = selectors.position_for_editing(draft, key)
        context = page_context(request, draft, position=position, focus="edit")
        return render_page(request, "roles/position_detail.html#summary", context)
    editor = selectors.position_editor(draft, key)
    issues = [
        issue
        for issue in quality.check_document(document_from_version(draft), **_quality_options())
        if issue.target.key == key
        or issue.anchor.startswith(f"positions:{key}/")
        or any(issue.anchor == f"expectations:{s.key}" for s in _statements(editor))
    ]
    context = page_context(
        request,
        draft,
        editor=editor,
        position=editor.position,
        criteria=editor.criteria,
        issues=issues,
    )
    return render_page(request, "roles/position_detail.html", context)


def _statements(editor: selectors.PositionEditor) -> list[Expectation]:
    return [s for cat in editor.categories for row in cat.rows for s in row.cells[0].statements]


@draft_view
@require_safe
def path_step_list(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    steps = selectors.path_steps_for_editing(draft)
    return render_page(
        request, "roles/path_step_list.html", page_context(request, draft, steps=steps)
    )


@draft_view
@require_POST
def markdown_preview(request: HttpRequest, draft: FrameworkVersion) -> HttpResponse:
    """The sanitised HTML of the posted ``text``, for a statement form's Preview button."""
    preview = render_markdown(request.POST.get("text", "")[:20000])
    return render_page(request, "roles/partials/markdown_preview.html", {"preview_html": preview})
