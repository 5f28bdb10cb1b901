"""XLSX import: the Document sheet, a long sheet alone, matrix sheets alone; every problem
located by its cell (``PATH: Sheet!C12: column: message``); formulas refused."""

from __future__ import annotations

import io
from collections import Counter

import openpyxl
import pytest

from roles.formats import ImportFailed
from roles.formats.long_csv import COLUMNS, long_rows, parse_long_csv
from roles.formats.xlsx import parse_xlsx, write_xlsx
from roles.models import Framework
from tests.factories import make_tracked_document

ROWS = [
    ["", "Design", "", "Junior", "1", "Execution", "Delivery", "Ships small changes."],
    ["", "Design", "", "Junior", "1", "Execution", "Delivery", "Asks for help."],
    ["", "Design", "", "Senior", 2, "Execution", "Delivery", "Ships projects."],
    ["", "Content", "", "Junior", "1", "Team", "Feedback", "Listens."],
]


def workbook(**sheets: list[list]) -> bytes:
    """A workbook as a person makes one: text, numbers, and ``=…`` typed as formulas."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name.replace("_", " "))
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edited(data: bytes, change) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems(data: bytes) -> list[str]:
    with pytest.raises(ImportFailed) as excinfo:
        parse_xlsx(data)
    return [error.render("in.xlsx") for error in excinfo.value.errors]


def as_csv(rows: list[list]) -> bytes:
    return "\n".join(",".join(str(v) for v in row) for row in [COLUMNS, *rows]).encode() + b"\n"


@pytest.mark.parametrize("name", ["Long", "Sheet1"])
def test_a_long_sheet_alone_imports_like_the_long_csv(name):
    assert parse_xlsx(workbook(**{name: [list(COLUMNS), *ROWS]})) == parse_long_csv(as_csv(ROWS))


BAD_LONG = {
    "empty statement": (
        [ROWS[0], [*ROWS[1][:7], "  "]],
        ["in.xlsx: Long!H3: expectation: empty statement"],
    ),
    "bad level order": (
        [ROWS[0], [*ROWS[1][:4], "x", *ROWS[1][5:]]],
        ["in.xlsx: Long!E3: level_order: 'x' is not a whole number"],
    ),
    "value outside the header": (
        [ROWS[0], [*ROWS[1], "note"]],
        ["in.xlsx: Long!I3: cell: a value outside the header's columns"],
    ),
    "header only": ([], ["in.xlsx: Long!2:2: sheet: the sheet has a header but no statements"]),
}


@pytest.mark.parametrize("rows, expected", BAD_LONG.values(), ids=BAD_LONG.keys())
def test_long_sheet_errors_name_the_cell(rows, expected):
    assert problems(workbook(Long=[list(COLUMNS), *rows])) == expected


def test_header_errors_name_the_header_row_or_cell():
    header = [c for c in COLUMNS if c != "category"] + ["notes"]
    assert problems(workbook(Long=[header])) == [
        "in.xlsx: Long!1:1: category: missing column",
        f"in.xlsx: Long!H1: notes: unknown column; expected {','.join(COLUMNS)}",
    ]


def test_a_formula_cell_is_refused_not_evaluated():
    data = workbook(Long=[list(COLUMNS), ROWS[0], ROWS[1], ROWS[2], [*ROWS[3][:7], "=1+1"]])
    assert problems(data) == [
        "in.xlsx: Long!H5: cell: holds a formula (=1+1), which is never evaluated: "
        "replace it with its value as text"
    ]


def test_a_formula_added_to_an_exported_workbook_is_refused():
    data = edited(write_xlsx(make_tracked_document()), lambda b: b["Design"].cell(2, 4, "=A1"))
    assert problems(data)[0].startswith("in.xlsx: Design!D2: cell: holds a formula (=A1)")


def test_an_edited_export_is_refused_until_its_document_sheet_is_deleted():
    data = edited(write_xlsx(make_tracked_document()), lambda b: b["Long"].cell(2, 8, "Rewritten."))
    found = problems(data)
    assert found[0] == (
        "in.xlsx: Long!H2: expectation: differs from the Document sheet (changed since the export)"
    )
    assert found[1].startswith("in.xlsx: Document: workbook: 1 row(s) changed since the export")
    without = edited(data, lambda b: b.remove(b["Document"]))
    assert parse_xlsx(without)["expectations"][0]["text"] == "Rewritten."


def test_a_changed_document_sheet_is_refused():
    def change(book):
        ws = book["Document"]
        ws["A3"] = ws["A3"].value.replace("Designs things.", "Designs stuff.")

    assert problems(edited(write_xlsx(make_tracked_document()), change)) == [
        "in.xlsx: Document!A2: document: the document does not match its SHA-256: "
        "the sheet was edited"
    ]
    broken = edited(write_xlsx(make_tracked_document()), lambda b: b["Document"].cell(3, 1, "{"))
    assert problems(broken)[0].startswith("in.xlsx: Document!A3: document: invalid JSON")


MATRIX = [
    ["Category", "Competency", "Junior", "Senior"],
    ["Execution", "Delivery", "• Ships small changes.\n• Asks for\nhelp.", "• Ships projects."],
    ["Team", "Feedback", "Gives feedback:\n- often\n- kindly", None],
]


def test_matrix_sheets_alone_import_as_roles_by_levels():
    document = parse_xlsx(
        workbook(Design=MATRIX, Content=[["Competency", "Junior"], ["Feedback", "• Listens."]])
    )
    assert [r["name"] for r in document["roles"]] == ["Design", "Content"]
    assert [(lv["name"], lv["rank"], lv["role"]) for lv in document["levels"]] == [
        ("Junior", 1, None),
        ("Senior", 2, "design"),
    ]
    assert [(c["category"], c["name"]) for c in document["competencies"]] == [
        ("Execution", "Delivery"),
        ("Team", "Feedback"),
        ("", "Feedback"),
    ]
    assert [e["text"] for e in document["expectations"]] == [
        "Ships small changes.",
        "Asks for\nhelp.",
        "Gives feedback:\n- often\n- kindly",
        "Ships projects.",
        "Listens.",
    ]
    assert [(s["from"], s["to"]) for s in document["path_steps"]] == [
        ("design.junior", "design.senior")
    ]


def test_matrix_tracks_and_sub_roles():
    header = ["Competency", "Sub-role", "Junior", "Lead\n(IC)", "Manager\n(People)", "Staff\n(IC)"]
    row = ["Craft", "Research", "• a", "• b", "• c", "• d"]
    document = parse_xlsx(workbook(Design=[header, row]))
    assert [t["name"] for t in document["tracks"]] == ["IC", "People"]
    assert [(lv["name"], lv["track"], lv["rank"]) for lv in document["levels"]] == [
        ("Junior", None, 1),
        ("Lead", "ic", 1),
        ("Manager", "people", 1),
        ("Staff", "ic", 2),
    ]
    assert {e["sub_role"] for e in document["expectations"]} == {"design.research"}


def test_exported_matrix_sheets_alone_give_back_every_statement():
    def matrices_only(book):
        for name in ["Long", "Roles", "Sub-roles", "Levels", "Positions", "Promotion criteria"]:
            book.remove(book[name])
        book.remove(book["Document"])

    original = make_tracked_document()
    document = parse_xlsx(edited(write_xlsx(original), matrices_only))

    def statements(doc):  # ranks restart per track in a matrix: leave level_order out
        return Counter(tuple(row[:4] + row[5:]) for row in long_rows(doc))

    assert statements(document) == statements(original)


def test_matrix_errors_name_the_cell():
    data = workbook(
        Design=[
            ["Category", "Competency", "Junior", "Junior", None],
            ["Execution", None, "• Ships.", None, "stray"],
        ]
    )
    assert problems(data) == [
        "in.xlsx: Design!D1: level: level 'Junior' appears twice (also C1)",
        "in.xlsx: Design!B2: competency: must not be empty",
        "in.xlsx: Design!E2: cell: a value in a column without a level name in row 1",
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "in.xlsx: workbook: file: the file is empty"),
        (b"hello", "in.xlsx: workbook: file: not an XLSX workbook (not a zip archive)"),
        (workbook(Notes=[["Just", "notes"]]), "in.xlsx: workbook: workbook: nothing to import"),
    ],
    ids=["empty", "not-a-zip", "no-sheet-to-import"],
)
def test_files_that_are_no_framework_workbook(data, message):
    assert problems(data)[0].startswith(message)


def test_import_command_reads_a_workbook(run_command, write_file):
    path = write_file("design.xlsx", write_xlsx(make_tracked_document()))
    run = run_command("import_framework", str(path), "--slug", "design", "--publish")
    assert run.out.startswith(f"Imported {path} into 'design' (created): 2 roles,")
    assert run.out.endswith("; published v1.\n")


def test_import_command_errors_name_the_cell_and_change_nothing(run_command, write_file, state):
    before = state()
    path = write_file("bad.xlsx", workbook(Long=[list(COLUMNS), [*ROWS[0][:7], ""]]))
    run = run_command("import_framework", str(path), "--slug", "design", fails=True)
    assert run.error.returncode == 2
    assert run.err_lines == [f"{path}: Long!H2: expectation: empty statement"]
    assert str(run.error) == f"1 problem(s) in {path}; nothing was imported."
    assert state() == before and not Framework.objects.exists()


@pytest.mark.parametrize("args", [["x.pdf"], ["x.md"], ["x.csv", "--format", "pdf"]])
def test_printable_formats_cannot_be_imported(run_command, write_file, args):
    path = write_file(args[0], b"%PDF-1.7")
    run = run_command("import_framework", str(path), *args[1:], "--slug", "d", fails=True)
    assert run.error.returncode == 2
    fmt = args[-1] if len(args) > 1 else args[0].split(".")[1]
    assert str(run.error) == (
        f"{path}: {fmt} is an export-only format; import a csv|json|xlsx file instead."
    )
