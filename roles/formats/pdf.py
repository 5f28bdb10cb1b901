"""PDF export: printable role definitions, rendered by WeasyPrint (export only).

``templates/roles/export/pdf.html`` with the print stylesheet ``static/src/print.css``:
a title page (framework, version, publish date), a table of contents with page numbers,
then each role and its positions; statements go through the same Markdown renderer and
sanitiser as the web pages (``roles.markdown``). WeasyPrint needs Pango (README).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from roles.document import Document
from roles.formats import ExportInfo
from roles.formats.outline import STEP_LABELS, PositionOutline, RoleOutline, outline
from roles.markdown import render_markdown

TEMPLATE = "roles/export/pdf.html"
STYLESHEET = "src/print.css"


def write_pdf(document: Document, info: ExportInfo) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango takes a while

    html = render_to_string(TEMPLATE, pdf_context(document, info))
    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf(stylesheets=[_stylesheet()])


def _fetch_nothing(url: str, *args: Any, **kwargs: Any) -> dict:
    """The PDF needs no resource: never let a URL in the content reach the network."""
    raise ValueError(f"the PDF export fetches no URL ({url})")


@cache
def _stylesheet() -> Any:
    from weasyprint import CSS

    path = finders.find(STYLESHEET)
    if path is None:
        raise FileNotFoundError(f"static/{STYLESHEET} is missing")
    return CSS(filename=path)


def _html(text: str) -> SafeString:
    html = render_markdown(text)
    # A one-paragraph statement needs no <p> inside its <li>: one element fewer for each of
    # thousands of statements is a tenth of the layout time.
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # render_markdown sanitises (nh3)  # nosec B308, B703


def pdf_context(document: Document, info: ExportInfo) -> dict[str, Any]:
    """What the template shows: plain values, with Markdown already rendered to safe HTML."""
    roles = [_role(role) for role in outline(document)]
    return {
        "info": info,
        "roles": roles,
        "counts": {
            "roles": len(roles),
            "positions": sum(len(r["positions"]) for r in roles),
            "statements": len(document["expectations"]),
        },
    }


def _role(role: RoleOutline) -> dict[str, Any]:
    description = role.role["description"]
    return {
        "key": role.role["key"],
        "name": role.role["name"],
        "description": _html(description) if description else "",
        "sub_roles": role.sub_roles,
        "positions": [_position(pos) for pos in role.positions],
    }


def _position(pos: PositionOutline) -> dict[str, Any]:
    summaries = (pos.position["summary"], pos.level["summary"])
    return {
        "key": pos.position["key"],
        "title": pos.position["title"],
        "code": pos.level["code"],
        "level": pos.level["name"],
        "track": pos.track["name"] if pos.track else "",
        "summaries": [_html(summary) for summary in summaries if summary],
        "categories": [
            {
                "name": category.name,
                "competencies": [
                    {
                        "name": item.competency["name"],
                        "statements": [_html(text) for text in item.cell.general],
                        "by_sub_role": [
                            {"name": sub["name"], "statements": [_html(t) for t in texts]}
                            for sub, texts in item.cell.by_sub_role
                        ],
                    }
                    for item in category.competencies
                ],
            }
            for category in pos.categories
        ],
        "criteria": [{**c, "html": _html(c["text"])} for c in pos.criteria],
        "steps": [
            {"label": STEP_LABELS[step["kind"]], "target": target, "note": step["note"]}
            for step, target in pos.steps
        ],
    }
