"""Markdown export: one file of role definitions for a wiki; statements kept as written."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import markdown as md

from roles.formats import ExportInfo
from roles.formats.markdown_doc import bullet, bullets, plain, write_markdown
from tests.factories import PublishedFrameworkFactory, make_tracked_document
from tests.roles.conftest import RealFramework

INFO = ExportInfo("Design at Acme", "v2", datetime(2025, 1, 31, 9, 30, tzinfo=UTC))


def headings(text: str, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+)$", text, re.MULTILINE)


def test_headings_follow_framework_role_position_and_competency():
    text = write_markdown(make_tracked_document(), INFO)
    assert text.startswith("# Design at Acme v2\n\nPublished: 31 January 2025\n")
    assert headings(text, 2) == ["Design", "Content Design"]
    assert headings(text, 3) == [
        "Junior Designer (JUNIOR)",
        "Designer (MID)",
        "Lead Designer (LEAD-IC)",
        "Design Manager (LEAD-MGR)",
        "Junior Content Designer (JUNIOR)",
        "Content Designer (MID)",
        "Lead Content Designer (CONTENT-LEAD)",
    ]
    design = text.split("\n## Content Design\n")[0]
    assert headings(design, 4)[:2] == [
        "Project execution / Craft",
        "Internal collaboration / Collaboration",
    ]
    assert "*Level: Lead Ic · Track: Individual Contributor*" in text


def test_statements_are_bullets_written_unchanged():
    text = write_markdown(make_tracked_document(), INFO)
    statement = "- **Junior Designer**: craft — “done well”, see [guide](guide.html)."
    assert statement in text.splitlines()
    assert "*Research only:*\n\n- Plans studies with several méthodes." in text


def test_a_statement_of_several_lines_stays_one_valid_bullet():
    assert bullet("Does:\n- this\n\n    code\n- that") == (
        "- Does:\n    - this\n\n        code\n    - that"
    )
    assert bullet("- starts with a dash") == "- - starts with a dash"
    items = bullets([bullet("Does:\n- this\n- that"), bullet("Next.")])
    assert items == "- Does:\n    - this\n    - that\n\n- Next."
    html = md.markdown(items, extensions=["sane_lists"])
    assert html.count("<ul>") == 2 and html.count("<li>") == 4
    assert re.search(r"<li>\s*<p>Does:</p>\s*<ul>\s*<li>this</li>", html)


def test_a_cell_with_a_long_statement_renders_as_one_list():
    document = make_tracked_document()
    document["expectations"][0]["text"] = "First paragraph.\n\nSecond paragraph."
    document["expectations"].insert(1, {**document["expectations"][0], "key": "x", "text": "Then."})
    text = write_markdown(document, INFO)
    block = "- First paragraph.\n\n    Second paragraph.\n\n- Then."
    assert block in text
    html = md.markdown(block, extensions=["sane_lists"])
    assert html.count("<li>") == 2 and "Second paragraph.</p>\n</li>" in html


def test_names_are_escaped_but_statements_are_not():
    document = make_tracked_document()
    document["roles"][0]["name"] = "R&D *core* #1"
    document["expectations"][0]["text"] = "Uses *emphasis* and `code`"
    text = write_markdown(document, INFO)
    assert "## R&D \\*core\\* \\#1" in text
    assert "- Uses *emphasis* and `code`" in text
    html = md.markdown(text)
    assert "<h2>R&amp;D *core* #1</h2>" in html


def test_promotion_criteria_and_next_steps_follow_each_position():
    text = write_markdown(make_tracked_document(), INFO)
    lead = text.split("### Lead Designer (LEAD-IC)")[1].split("\n### ")[0]
    criterion = "- Leads a project. *(optional; evidence: One project write-up.)*"
    assert f"#### Promotion criteria\n\n{criterion}" in lead
    assert "#### Next steps\n\n- Switch to Design Manager" in lead
    mid = text.split("### Designer (MID)")[1].split("\n### ")[0]
    assert "- Ships alone.\n" in mid
    assert "- Move to Content Designer (After a writing project.)" in mid


def test_a_draft_says_it_is_not_published():
    text = write_markdown(
        make_tracked_document(), ExportInfo("Acme", "draft", None, "Role: Design")
    )
    assert text.startswith("# Acme draft\n\nPublished: not published (draft)  \nRole: Design\n")


def test_a_real_framework_exports_every_statement(real_framework: RealFramework):
    document = real_framework.document()
    text = write_markdown(document, INFO)
    assert len(headings(text, 2)) == len(document["roles"])
    assert len(headings(text, 3)) == len(document["positions"])
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(document["expectations"]) + len(document["path_steps"])
    assert plain(document["roles"][0]["name"]) in headings(text, 2)


def test_the_command_writes_markdown_to_stdout_and_files(db, run_command, tmp_path):
    PublishedFrameworkFactory(slug="acme", name="Acme", content=make_tracked_document())
    run = run_command("export_framework", "acme", "--format", "md", "-o", "-")
    assert run.out.startswith("# Acme v1\n\nPublished: ")
    path = tmp_path / "acme.md"
    run_command("export_framework", "acme", "--format", "md", "-o", str(path))
    assert path.read_text(encoding="utf-8") == run.out
