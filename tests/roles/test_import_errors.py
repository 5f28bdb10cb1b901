"""Bad input to ``import_framework``: status 2, one located message per problem on stderr,
and the database exactly as it was."""

from __future__ import annotations

import copy
import json

import pytest

from roles.document import pretty_json
from roles.formats.long_csv import COLUMNS
from roles.models import Framework
from tests.factories import make_document

HEADER = ",".join(COLUMNS)
ROW = ",Design,,Junior,1,,Craft,Does it."


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows, ""]).encode()


def json_file(change) -> bytes:
    document = copy.deepcopy(make_document())
    change(document)
    return pretty_json(document).encode()


FIRST_KEY = make_document()["expectations"][0]["key"]

# name: (file name, content, expected stderr lines with {path} for the file's path)
BAD_INPUT = {
    "missing columns": (
        "in.csv",
        csv_file(
            ",Design,,Junior,1,Craft", header="track,role,sub_role,level,level_order,competency"
        ),
        ["{path}:1: category: missing column", "{path}:1: expectation: missing column"],
    ),
    "unknown column": (
        "in.csv",
        csv_file(ROW + ",x", header=HEADER + ",notes"),
        [f"{{path}}:1: notes: unknown column; expected {HEADER}"],
    ),
    "empty statements": (
        "in.csv",
        csv_file(ROW, ",Design,,Junior,1,,Craft,", ROW, ",Design,,Junior,1,,Craft,  "),
        ["{path}:3: expectation: empty statement", "{path}:5: expectation: empty statement"],
    ),
    "non-integer level_order": (
        "in.csv",
        csv_file(ROW, ",Design,,Senior,second,,Craft,x"),
        ["{path}:3: level_order: 'second' is not a whole number"],
    ),
    "conflicting level_order": (
        "in.csv",
        csv_file(ROW, ",Design,,Junior,3,,Craft,x"),
        [
            "{path}:3: level_order: 3 conflicts with 1 given for level 'Junior' of 'Design' "
            "on line 2"
        ],
    ),
    "not UTF-8": (
        "in.csv",
        csv_file(ROW, ",Design,,Junior,1,,Craft,na@ve").replace(b"@", b"\xef"),
        ["{path}:3: expectation: undecodable bytes (the file must be UTF-8)"],
    ),
    "NUL character": (  # PostgreSQL cannot store it
        "in.csv",
        csv_file(ROW, ",Design,,Junior,1,,Craft,Does\x00it."),
        ["{path}:3: expectation: contains a NUL character"],
    ),
    "empty file": ("in.csv", b"", ["{path}:1: file: the file is empty"]),
    "header only": (
        "in.csv",
        csv_file(),
        ["{path}:2: file: the file has a header but no statements"],
    ),
    "several problems": (
        "in.csv",
        csv_file(",Design,,Junior,x,,Craft,", ROW),
        [
            "{path}:2: expectation: empty statement",
            "{path}:2: level_order: 'x' is not a whole number",
        ],
    ),
    "invalid JSON": (
        "in.json",
        b'{\n  "format": "careerframe.framework/1",\n  "roles": [,]\n}\n',
        ["{path}:3: column 13: invalid JSON: Expecting value"],
    ),
    "empty JSON file": ("in.json", b"  \n", ["{path}:1: document: the file is empty"]),
    "JSON not UTF-8": (
        "in.json",
        b'{\n"format": "\xff"}',
        ["{path}:2: document: undecodable bytes (not UTF-8) at byte 13"],
    ),
    "JSON duplicate key": (
        "in.json",
        json_file(lambda d: d["expectations"][1].update(key=FIRST_KEY)),
        [f"{{path}}: expectations[1].key: duplicate key {FIRST_KEY!r}"],
    ),
    "JSON unknown reference": (
        "in.json",
        json_file(lambda d: d["expectations"][0].update(competency="nope")),
        ["{path}: expectations[0].competency: unknown competency 'nope'"],
    ),
    "JSON empty statement": (
        "in.json",
        json_file(lambda d: d["expectations"][2].update(text="")),
        ["{path}: expectations[2].text: must not be empty"],
    ),
    "JSON NUL character": (
        "in.json",
        json_file(lambda d: d["roles"][0].update(description="Designs\x00things.")),
        ["{path}: roles[0].description: contains a NUL character"],
    ),
    "JSON that is not a document": (
        "in.json",
        b"[]",
        ["{path}: document: [] is not of type 'object'"],
    ),
}


@pytest.fixture
def existing(run_command, write_file) -> None:
    """A framework 'design' with a published v1 and a draft edited since."""
    first = write_file("v1.csv", csv_file(ROW, ",Design,,Senior,2,,Craft,Leads it."))
    run_command("import_framework", str(first), "--slug", "design", "--publish")
    second = write_file("draft.csv", csv_file(ROW, ",Design,,Senior,2,,Craft,Leads more."))
    run_command("import_framework", str(second), "--slug", "design")


@pytest.mark.parametrize("name, content, expected", BAD_INPUT.values(), ids=BAD_INPUT.keys())
@pytest.mark.parametrize("slug", ["design", "new"], ids=["into-existing", "into-new"])
def test_bad_input_is_reported_per_problem_and_changes_nothing(
    existing, run_command, write_file, state, slug, name, content, expected
):
    before = state()
    path = write_file(name, content)
    run = run_command("import_framework", str(path), "--slug", slug, "--publish", fails=True)
    assert run.error.returncode == 2
    assert run.err_lines == [line.format(path=path) for line in expected]
    assert str(run.error) == f"{len(expected)} problem(s) in {path}; nothing was imported."
    assert run.out == ""
    assert state() == before
    assert not Framework.objects.filter(slug="new").exists()


def test_an_empty_json_document_cannot_be_published_and_changes_nothing(
    existing, run_command, write_file, state
):
    before = state()
    empty = make_document(roles=0, levels=0, competencies=0)
    path = write_file("empty.json", json.dumps(empty))
    for slug in ("design", "new"):
        run = run_command("import_framework", str(path), "--slug", slug, "--publish", fails=True)
        assert run.error.returncode == 2
        assert str(run.error).endswith("there is nothing to publish. Nothing was imported.")
        assert state() == before


def test_every_problem_of_a_long_file_is_listed(run_command, write_file):
    rows = [ROW] * 3 + [",Design,,Junior,1,,Craft,"] * 150
    path = write_file("long.csv", csv_file(*rows))
    run = run_command("import_framework", str(path), "--slug", "design", fails=True)
    assert len(run.err_lines) == 150
    assert run.err_lines[0] == f"{path}:5: expectation: empty statement"
    assert run.err_lines[-1] == f"{path}:154: expectation: empty statement"
