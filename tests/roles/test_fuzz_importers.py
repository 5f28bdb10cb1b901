"""Property-based tests of every importer (hypothesis): random and mutated CSV, JSON and XLSX.

Whatever a file holds, an importer either returns a document that passes validation or
raises ImportFailed with located, non-empty messages — never another exception. Through the
browser and the command line, a bad file gives a message (a page, an exit code), never a
500 or a traceback, and nothing is written.
"""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ladders.people.csvfile import parse_people_csv
from roles.document import validate_document
from roles.formats import FormatError, ImportFailed
from roles.formats.json_doc import parse_json, write_json
from roles.formats.long_csv import parse_long_csv, write_long_csv
from roles.formats.xlsx import parse_xlsx, write_xlsx
from roles.models import Framework, FrameworkVersion, PendingImport
from roles.serialization import document_from_version
from roles.services import draft_get
from tests.factories import DraftFrameworkFactory, UserFactory, make_document

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SEED = make_document(roles=2, levels=3, sub_roles=1)
CSV_TEXT = write_long_csv(SEED)
JSON_TEXT = write_json(SEED)
XLSX_BYTES = write_xlsx(SEED)

# Text that breaks parsers: separators, quotes, formulas, control characters, odd Unicode.
NASTY = st.sampled_from(
    [",", '"', "\n", "\r", "\r\n", "\x00", "\t", "=", "=1+1", "+", "-", "@", ";", "\ufeff",
     "é", "😀", "\u202e", "\\", "{", "}", "[", "]", ":", "null", "0", "-1", "1e309", " "]
)  # fmt: skip
TEXT = st.text(max_size=40) | NASTY


def _assert_outcome(parse, data: bytes) -> None:
    """The importer's contract: a valid document, or ImportFailed with real messages."""
    try:
        document = parse(data)
    except ImportFailed as failed:
        assert failed.errors, "ImportFailed without errors"
        for error in failed.errors:
            assert isinstance(error, FormatError)
            assert str(error.message).strip(), error
            assert error.render("file")  # every error can be printed
        return
    assert validate_document(document) == []


# --- mutations ----------------------------------------------------------------------------


@st.composite
def mutated_text(draw, source: str) -> str:
    """``source`` with a few random edits: characters, whole lines, truncation."""
    text = source
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        op = draw(st.sampled_from(["insert", "delete", "dup", "swap", "cut", "field", "drop"]))
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        row = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "insert":
            text = text[:at] + draw(TEXT) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif op == "dup":
            lines.insert(row, lines[row])
            text = "\n".join(lines)
        elif op == "swap":
            other = draw(st.integers(0, max(len(lines) - 1, 0)))
            lines[row], lines[other] = lines[other], lines[row]
            text = "\n".join(lines)
        elif op == "cut":
            text = text[:at]
        elif op == "field":
            fields = lines[row].split(",")
            fields[draw(st.integers(0, len(fields) - 1))] = draw(TEXT)
            lines[row] = ",".join(fields)
            text = "\n".join(lines)
        else:
            del lines[row]
            text = "\n".join(lines)
    return text


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=8,
)


@st.composite
def mutated_document(draw) -> dict:
    """The seed document with values replaced, keys removed or lists emptied at random."""
    document = json.loads(JSON_TEXT)
    for _ in range(draw(st.integers(1, 4))):
        node = document
        # Walk down a random path, then change what is there.
        for _depth in range(draw(st.integers(0, 3))):
            children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
            children = [(k, v) for k, v in children if isinstance(v, dict | list) and v]
            if not children:
                break
            node = draw(st.sampled_from(children))[1]
        keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            continue
        key = draw(st.sampled_from(keys))
        if draw(st.booleans()):
            node[key] = draw(JSON_VALUES)
        elif isinstance(node, dict):
            del node[key]
        else:
            node.pop(key)
    return document


CELL_VALUES = (
    TEXT
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
    | st.datetimes(min_value=datetime.datetime(1901, 1, 1), max_value=datetime.datetime(2100, 1, 1))
    | st.sampled_from(["=A1", "=SUM(1,2)", "=1/0", "#REF!", "'quoted", "x" * 5000])
)


@st.composite
def mutated_workbook(draw) -> bytes:
    """The seed workbook with random cells overwritten, rows deleted or sheets removed."""
    workbook = load_workbook(io.BytesIO(XLSX_BYTES))
    for _ in range(draw(st.integers(1, 5))):
        sheet = draw(st.sampled_from(workbook.worksheets))
        op = draw(st.sampled_from(["cell", "cell", "cell", "row", "sheet"]))
        if op == "sheet" and len(workbook.worksheets) > 1:
            workbook.remove(sheet)
        elif op == "row":
            sheet.delete_rows(draw(st.integers(1, max(sheet.max_row, 1))))
        else:
            row = draw(st.integers(1, max(sheet.max_row, 1) + 1))
            column = draw(st.integers(1, max(sheet.max_column, 1) + 1))
            value = draw(CELL_VALUES)
            if isinstance(value, str):  # openpyxl refuses control characters in cells
                value = "".join(c for c in value if c >= " " or c in "\t\n\r")
            sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- the parsers ------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_any_parser(data):
    for parse in (parse_long_csv, parse_json, parse_xlsx):
        _assert_outcome(parse, data)


@FUZZ
@given(mutated_text(CSV_TEXT))
def test_mutated_csv_gives_a_document_or_located_errors(text):
    _assert_outcome(parse_long_csv, text.encode("utf-8"))


@FUZZ
@given(mutated_text(JSON_TEXT))
def test_mutated_json_text_gives_a_document_or_located_errors(text):
    _assert_outcome(parse_json, text.encode("utf-8"))


@FUZZ
@given(mutated_document())
def test_mutated_json_documents_give_a_document_or_errors(document):
    _assert_outcome(parse_json, json.dumps(document).encode("utf-8"))


@settings(FUZZ, max_examples=25)
@given(mutated_workbook())
def test_mutated_workbooks_give_a_document_or_located_errors(data):
    _assert_outcome(parse_xlsx, data)


@settings(FUZZ, max_examples=25)
@given(st.binary(min_size=1, max_size=64), st.integers(0, len(XLSX_BYTES) - 1))
def test_damaged_workbook_bytes_are_reported(garbage, at):
    _assert_outcome(parse_xlsx, XLSX_BYTES[:at] + garbage + XLSX_BYTES[at + len(garbage) :])


PEOPLE_CSV = (
    "name,email,lead_email,framework,role,level,sub_role\n"
    "Ada,ada@example.com,lead@example.com,fw,role-1,level-1,\n"
    "Bo,bo@example.com,,fw,role-1,level-2,\n"
)


@FUZZ
@given(mutated_text(PEOPLE_CSV) | st.text(max_size=200))
def test_mutated_people_csv_gives_rows_or_located_errors(text):
    try:
        rows = parse_people_csv(text.encode("utf-8"))
    except ImportFailed as failed:
        assert failed.errors and all(str(e.message).strip() for e in failed.errors)
    else:
        assert rows


# --- through the browser and the command line -----------------------------------------------


@pytest.fixture
def framework(db):
    return DraftFrameworkFactory(slug="fw", content=make_document(roles=1, levels=3))


def _state(framework) -> tuple:
    return (
        document_from_version(draft_get(framework=framework)),
        FrameworkVersion.objects.count(),
        Framework.objects.count(),
    )


FILES = st.one_of(
    mutated_text(CSV_TEXT).map(lambda t: ("f.csv", t.encode("utf-8"))),
    mutated_text(JSON_TEXT).map(lambda t: ("f.json", t.encode("utf-8"))),
    mutated_workbook().map(lambda b: ("f.xlsx", b)),
    st.binary(max_size=200).map(lambda b: ("f.csv", b)),
)


@settings(FUZZ, max_examples=30)
@given(file=FILES)
def test_the_upload_page_answers_every_file_with_a_page_and_writes_nothing(client, framework, file):
    editor = UserFactory()
    framework.editors.add(editor)
    client.force_login(editor)
    before = _state(framework)
    name, data = file
    response = client.post(
        reverse("roles:draft-import", kwargs={"slug": "fw"}),
        {"file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # refused: the form again, with the errors listed
        assert response.context["form"].errors or response.context["problems"]
    else:  # accepted: a preview to confirm, still nothing in the draft
        assert PendingImport.objects.filter(framework=framework).exists()
    assert _state(framework) == before


@settings(FUZZ, max_examples=30)
@given(file=FILES)
def test_the_import_command_exits_with_a_message_and_writes_nothing(
    framework, tmp_path_factory, file
):
    name, data = file
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    before = _state(framework)
    try:
        call_command("import_framework", str(path), "--slug", "fw", stdout=io.StringIO())
    except CommandError as error:
        assert str(error).strip()
        assert _state(framework) == before
