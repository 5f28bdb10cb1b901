"""PDF export (WeasyPrint): title page, contents with page numbers, role definitions with
statements rendered from sanitised Markdown, page numbers in the footer."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from functools import cache

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from roles.formats import ExportInfo
from roles.formats.pdf import write_pdf
from tests.factories import PublishedFrameworkFactory, make_tracked_document
from tests.frameworks import framework_document

INFO = ExportInfo("Design at Acme", "v2", datetime(2025, 1, 31, 9, 30, tzinfo=UTC))


def page_texts(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-")
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


@cache
def tracked_pages() -> tuple[str, ...]:
    document = make_tracked_document()
    document["expectations"][0]["text"] = "Uses **bold** <script>alert('x')</script> safely."
    return tuple(page_texts(write_pdf(document, INFO)))


def page_of(pages: tuple[str, ...], text: str, start: int = 2) -> int:
    """The 1-based number of the first page from ``start`` that shows ``text``."""
    return next(i for i, page in enumerate(pages, start=1) if i >= start and text in page)


def test_the_title_page_names_framework_version_and_publish_date():
    title = tracked_pages()[0]
    assert "Design at Acme" in title
    assert "Version v2" in title
    assert "Published: 31 January 2025" in title
    assert "2 roles · 7 positions · 15 statements" in title
    assert "Page" not in title  # no footer on the title page


def test_the_contents_list_every_role_and_position_with_its_page():
    pages = tracked_pages()
    contents = pages[1]
    assert contents.startswith("Contents")
    headings = {
        "Design": "Design Designs things.",
        "Junior Designer": "Junior Designer JUNIOR",
        "Design Manager": "Design Manager LEAD-MGR",
        "Lead Content Designer": "Lead Content Designer CONTENT-LEAD",
    }
    for title, heading in headings.items():
        # Each entry ends with the page its heading is on (after a dotted leader).
        page = page_of(pages, heading, start=3)
        assert re.search(rf"(Contents|\d) {re.escape(title)} \.+ {page}\b", contents), title
    assert page_of(pages, "Design Manager LEAD-MGR") == 6


def test_roles_and_positions_are_headings_with_their_statements():
    pages = tracked_pages()
    design = pages[page_of(pages, "Junior Designer JUNIOR", start=3) - 1]
    assert design.startswith("Design Designs things. Specialisms Interaction")
    assert "Level: Junior · Track: Common" in design
    assert "Project execution Craft" in design
    assert "Uses bold safely." in design  # Markdown rendered, the script removed
    assert "alert" not in " ".join(pages) and "**" not in " ".join(pages)
    mid = pages[page_of(pages, "Designer MID", start=3) - 1]
    assert "Research only Plans studies with several méthodes." in mid
    assert "Promotion criteria Ships alone." in mid
    lead = pages[page_of(pages, "Lead Designer LEAD-IC", start=3) - 1]
    assert "Optional. Evidence: One project write-up." in lead
    assert "Switch to Design Manager" in lead


def test_every_page_after_the_title_has_a_page_number():
    pages = tracked_pages()
    assert len(pages) > 1
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in text


@pytest.mark.slow
def test_a_real_framework_prints_every_role_and_a_sample_of_statements():
    document = framework_document("ft")
    pages = page_texts(write_pdf(document, ExportInfo("FT Engineering", "v1")))
    text = " ".join(pages)
    assert "Published: not published (draft)" in pages[0]
    assert len(pages) > len(document["positions"])
    for role in document["roles"]:
        assert f"{role['name']} " in pages[1]
    for position in document["positions"]:
        assert position["title"] in text
    for statement in document["expectations"][::40]:
        assert " ".join(statement["text"].split()[:6]) in text, statement["text"]


@pytest.fixture
def acme(db):
    return PublishedFrameworkFactory(slug="acme", name="Acme", content=make_tracked_document())


def test_the_command_exports_one_role_or_one_position(acme, run_command, tmp_path):
    path = tmp_path / "design.pdf"
    run = run_command(
        "export_framework", "acme", "--format", "pdf", "--role", "design", "-o", str(path)
    )
    assert run.out == f"Exported acme v1 (role design) as pdf to {path}.\n"
    pages = page_texts(path.read_bytes())
    assert "Acme" in pages[0] and "Role: Design" in pages[0]
    assert "Junior Content Designer" not in " ".join(pages)
    run_command(
        "export_framework", "acme", "--format", "pdf", "--position", "design.mid", "-o", str(path)
    )
    pages = page_texts(path.read_bytes())
    assert "Position: Designer (Design)" in pages[0]
    assert "Junior Designer" not in " ".join(pages)


def test_the_command_writes_the_pdf_bytes_to_stdout(acme):
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    call_command("export_framework", "acme", "--format", "pdf", "-o", "-", stdout=stdout)
    pages = page_texts(stdout.buffer.getvalue())
    assert "Version v1" in pages[0]
    assert "Published: " in pages[0] and "draft" not in pages[0]
