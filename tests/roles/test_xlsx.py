"""XLSX export: the sheets, every cell a string, and round trips that lose nothing."""

from __future__ import annotations

import copy
import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.management import call_command

from roles.document import validate_document
from roles.formats.long_csv import write_long_csv
from roles.formats.xlsx import parse_xlsx, write_xlsx
from roles.formats.xlsx_sheets import FIXED_SHEETS, SHEET_NAME_MAX, sheet_names
from tests.factories import PublishedFrameworkFactory, make_document, make_tracked_document
from tests.roles.conftest import RealFramework


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def values(ws) -> list[list[str]]:
    rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
    return [row[: max((i + 1 for i, v in enumerate(row) if v), default=0)] for row in rows]


def enriched(document: dict) -> dict:
    """Every field the long CSV cannot carry, filled in: codes, summaries, descriptions,
    criteria, a specialism and notes on path steps."""
    document = copy.deepcopy(document)
    first_role = document["roles"][0]["key"]
    document["sub_roles"].append(
        {"key": f"{first_role}.ux", "role": first_role, "name": "UX", "description": "Users."}
    )
    for i, role in enumerate(document["roles"]):
        role["description"] = f"What role {i} does, in **Markdown**."
    for i, level in enumerate(document["levels"]):
        level["code"], level["summary"] = f"L{i}", f"Summary of {level['name']}."
    for i, comp in enumerate(document["competencies"]):
        comp["description"] = f"Competency {i}."
    for pos in document["positions"]:
        pos["title"], pos["summary"] = f"{pos['title']} (titled)", "A position summary."
        document["criteria"].append(
            {
                "key": f"{pos['key']}.c",
                "position": pos["key"],
                "text": "=Shows it\n- twice",
                "required": len(document["criteria"]) % 2 == 0,
                "evidence_hint": "@evidence",
            }
        )
    for step in document["path_steps"]:
        step["note"] = "+ a note"
    for exp in document["expectations"]:
        if exp["position"].startswith(f"{first_role}."):
            exp["sub_role"] = f"{first_role}.ux"
            break
    assert validate_document(document) == []
    return document


def test_xlsx_export_import_export_is_identical(real_framework: RealFramework):
    document = real_framework.document()
    data = write_xlsx(document)
    assert parse_xlsx(data) == document
    again = write_xlsx(parse_xlsx(data))
    first, second = load(data), load(again)
    assert first.sheetnames == second.sheetnames
    for name in first.sheetnames:
        assert values(first[name]) == values(second[name]), name
    # The long sheet holds the long CSV's cells (no real cell needs neutralising).
    assert values(first["Long"]) == list(csv.reader(io.StringIO(write_long_csv(document))))


def test_a_workbook_loses_nothing_the_long_csv_cannot_carry(real_framework: RealFramework):
    document = enriched(real_framework.document())
    assert parse_xlsx(write_xlsx(document)) == document


def test_every_field_of_a_small_document_survives():
    document = make_tracked_document()
    assert parse_xlsx(write_xlsx(document)) == document


FORMULA_LIKE = ["=1+1", '=HYPERLINK("http://x","y")', "+1", "-x", "@x", "#N/A", "#DIV/0!"]


def test_every_cell_is_text_even_when_it_looks_like_a_formula():
    document = make_document(roles=1, levels=1, competencies=1, statements=len(FORMULA_LIKE))
    for exp, text in zip(document["expectations"], FORMULA_LIKE, strict=True):
        exp["text"] = text
    document["roles"][0]["name"] = "=cmd|' /C calc'!A0"
    data = write_xlsx(document)
    workbook = load(data)
    types = {c.data_type for ws in workbook for row in ws.iter_rows() for c in row if c.value}
    assert types == {"s"}
    long = values(workbook["Long"])
    assert [row[7] for row in long[1:]] == FORMULA_LIKE
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not [n for n in sheets if b"<f>" in archive.read(n) or b"<f " in archive.read(n)]
    assert parse_xlsx(data) == document


def test_the_sheets_of_an_export():
    data = write_xlsx(make_tracked_document())
    workbook = load(data)
    assert workbook.sheetnames == [
        "Long",
        "Design",
        "Content Design",
        "Roles",
        "Sub-roles",
        "Levels",
        "Positions",
        "Promotion criteria",
        "Document",
    ]
    assert values(workbook["Levels"])[3] == [
        "Lead Ic",
        "LEAD-IC",
        "Individual Contributor",
        "3",
        "(all roles)",
        "Works at lead-ic.",
    ]
    assert values(workbook["Promotion criteria"])[1:] == [
        ["Design", "Designer", "Ships alone.", "yes"],
        ["Design", "Lead Designer", "Leads a project.", "no", "One project write-up."],
    ]
    assert values(workbook["Sub-roles"])[2] == ["Design", "Research", "UX"]
    assert values(workbook["Roles"])[1] == [
        "Design",
        "Designs things.",
        "Interaction, Research",
        "4",
    ]
    assert values(workbook["Positions"])[3] == [
        "Design",
        "Lead Designer",
        "Lead Ic",
        "Individual Contributor",
    ]


def test_a_matrix_sheet_has_competencies_by_levels_with_bulleted_statements():
    ws = load(write_xlsx(make_tracked_document()))["Design"]
    rows = values(ws)
    assert rows[0] == [
        "Category",
        "Competency",
        "Sub-role",
        "Junior\n(Common)",
        "Mid\n(Common)",
        "Lead Ic\n(Individual Contributor)",
        "Lead Mgr\n(People Manager)",
    ]
    assert [row[:3] for row in rows[1:]] == [
        ["Project execution", "Craft", ""],
        ["Project execution", "Craft", "Research"],
        ["Internal collaboration", "Collaboration", ""],
    ]
    assert rows[1][3] == "• **Junior Designer**: craft — “done well”, see [guide](guide.html)."
    assert rows[2][4] == "• Plans studies with several méthodes."
    assert ws.freeze_panes == "A2"
    assert ws["D2"].alignment.wrap_text and ws["D2"].alignment.vertical == "top"
    assert ws["A1"].font.b
    assert ws.column_dimensions["D"].width == 48


def test_a_cell_with_several_statements_lists_each_as_a_bullet():
    document = make_document(roles=1, levels=1, competencies=1, statements=3)
    rows = values(load(write_xlsx(document))["Role 1"])
    assert rows[1][2] == "\n".join(f"• Competency 1 statement {s} at Level 1." for s in (1, 2, 3))


def test_role_sheet_names_are_valid_unique_and_clear_of_the_fixed_sheets():
    names = [
        "A/B: [x]*?\\",
        "Software Development Engineer in Test (SDET)",
        "Software Development Engineer in Test (other)",
        "long",
        "History",
        "'Quoted'",
    ]
    document = make_document(roles=len(names))
    for role, name in zip(document["roles"], names, strict=True):
        role["name"] = name
    result = sheet_names(document)
    assert result == [
        "A-B- -x----",
        "Software Development Engineer i",
        "Software Development Engine (2)",
        "long (2)",
        "History (2)",
        "Quoted",
    ]
    assert all(len(name) <= SHEET_NAME_MAX for name in result)
    taken = [n.casefold() for n in [*result, *FIXED_SHEETS]]
    assert len(set(taken)) == len(taken)
    assert load(write_xlsx(document)).sheetnames[1:7] == result
    assert parse_xlsx(write_xlsx(document)) == document


def test_levels_are_columns_in_track_then_rank_order(frameworks_dir):
    from tests.frameworks import framework_document

    header = values(load(write_xlsx(framework_document("ft")))["Engineering"])[0]
    assert [h.split("\n")[0] for h in header[2:]] == [
        "Junior Engineer",
        "Engineer",
        "Senior Engineer 1",
        "Technology Director",
        "Senior Engineer 2 (Individual Contributor)",
        "Principal Engineer (Individual Contributor)",
        "Senior Engineer 2 (People Manager)",
        "Principal Engineer (People Manager)",
    ]


@pytest.fixture
def tracked(db):
    return PublishedFrameworkFactory(slug="tracked", content=make_tracked_document())


def test_the_export_command_writes_a_workbook_to_a_file_or_stdout(tracked, run_command, tmp_path):
    path = tmp_path / "tracked.xlsx"
    run = run_command("export_framework", "tracked", "--format", "xlsx", "-o", str(path))
    assert run.out == f"Exported tracked v1 as xlsx to {path}.\n"
    assert parse_xlsx(path.read_bytes()) == make_tracked_document()
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    call_command("export_framework", "tracked", "--format", "xlsx", "-o", "-", stdout=stdout)
    assert parse_xlsx(stdout.buffer.getvalue()) == make_tracked_document()


def test_binary_output_to_a_text_only_stdout_exits_with_status_2(tracked, run_command):
    run = run_command("export_framework", "tracked", "--format", "xlsx", "-o", "-", fails=True)
    assert run.error.returncode == 2
    assert (
        str(run.error) == "This standard output takes text only; write the xlsx file with -o PATH."
    )
