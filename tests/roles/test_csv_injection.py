"""CSV formula neutralisation: cells a spreadsheet would run as formulas get a leading ``'``
on export, which import removes again, so every text round-trips exactly."""

from __future__ import annotations

import copy
import csv
import io
import itertools

import pytest

from roles.formats.long_csv import neutralise, parse_long_csv, restore, write_long_csv
from tests.factories import PublishedFrameworkFactory, make_document
from tests.frameworks import framework_bytes
from tests.roles.conftest import FRAMEWORKS

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# text -> the cell written for it
TABLE = {
    "=1+1": "'=1+1",
    "+44 20 7946 0000": "'+44 20 7946 0000",
    "- item": "'- item",
    "@SUM(A1)": "'@SUM(A1)",
    "\tindented": "'\tindented",
    "\rreturn": "'\rreturn",
    "'=1+1": "''=1+1",  # already quoted by hand: one more quote, so import gives it back
    "''- item": "'''- item",
    "'plain": "'plain",  # a quote before anything else is left alone
    "' =x": "' =x",
    "'": "'",
    "": "",
    "a=1": "a=1",
    "Ships -fast": "Ships -fast",
    "#N/A": "#N/A",
}


@pytest.mark.parametrize("text, cell", TABLE.items(), ids=[repr(t) for t in TABLE])
def test_export_neutralises_and_import_restores(text, cell):
    assert neutralise(text) == cell
    assert restore(cell) == text


def every_string(alphabet: str, longest: int):
    for length in range(longest + 1):
        for chars in itertools.product(alphabet, repeat=length):
            yield "".join(chars)


def test_the_escaping_is_a_bijection_on_every_short_string():
    """Exhaustive over an alphabet holding a quote, triggers and a letter (hypothesis-style):
    restore undoes neutralise, distinct texts give distinct cells, and no cell starts
    with a trigger character."""
    texts = list(every_string("'=-\t@a ", 5))
    cells = [neutralise(text) for text in texts]
    assert [restore(cell) for cell in cells] == texts
    assert len(set(cells)) == len(texts)
    assert not [cell for cell in cells if cell[:1] in TRIGGERS]


def document_with(texts: list[str], role: str = "Design") -> dict:
    document = copy.deepcopy(make_document(roles=1, levels=1, competencies=1, statements=1))
    template = document["expectations"][0]
    document["roles"][0]["name"] = role
    document["expectations"] = [
        {**template, "key": f"{template['key']}-{i}", "text": text} for i, text in enumerate(texts)
    ]
    document["criteria"] = []
    return document


STATEMENTS = ["=1+1", "- item", "- item\n- another", "'=x", "+1 more", "@here", "\tTab first"]


def test_csv_round_trip_keeps_formula_like_statements_and_markdown_bullets():
    data = write_long_csv(document_with(STATEMENTS, role="=HYPERLINK(1)")).encode()
    rows = list(csv.reader(io.StringIO(data.decode())))
    assert [row[7] for row in rows[1:]] == [neutralise(text) for text in STATEMENTS]
    assert rows[1][1] == "'=HYPERLINK(1)"
    parsed = parse_long_csv(data)
    assert [e["text"] for e in parsed["expectations"]] == STATEMENTS
    assert parsed["roles"][0]["name"] == "=HYPERLINK(1)"
    assert write_long_csv(parsed).encode() == data


def test_a_quote_typed_before_a_dash_by_hand_is_removed_on_import():
    """What spreadsheet users type to keep ``- item`` as text is read as ``- item``."""
    data = b"track,role,sub_role,level,level_order,category,competency,expectation\n"
    data += b",Design,,Junior,1,,Craft,'- item\n"
    assert parse_long_csv(data)["expectations"][0]["text"] == "- item"


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_no_real_framework_cell_needs_neutralising(name):
    """Why the byte-identical round trips of tests/roles/test_round_trip.py still hold: none
    of the four real files has a cell starting with = + - @ TAB CR or a quote, so export
    writes every cell as it was read."""
    rows = csv.reader(io.StringIO(framework_bytes(name).decode("utf-8-sig"), newline=""))
    assert [value for row in rows for value in row if neutralise(value) != value] == []


def test_the_export_command_writes_neutralised_cells(db, run_command):
    PublishedFrameworkFactory(slug="design", content=document_with(["=1+1", "- item"]))
    run = run_command("export_framework", "design", "--format", "csv", "-o", "-")
    assert run.out.splitlines()[1:] == [
        ",Design,,Level 1,1,Project execution,Competency 1,'=1+1",
        ",Design,,Level 1,1,Project execution,Competency 1,'- item",
    ]
