"""The long CSV format: parsing, inference of the ladder, located errors, writing (no database)."""

from __future__ import annotations

import csv
import io

import pytest

from roles.document import validate_document
from roles.formats import ImportFailed
from roles.formats.long_csv import COLUMNS, parse_long_csv, write_long_csv
from roles.keys import KEY_MAX_LENGTH
from tests.factories import make_tracked_document

HEADER = ",".join(COLUMNS)


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode() + b"\n"


def problems(data: bytes) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ImportFailed) as excinfo:
        parse_long_csv(data)
    return [(e.line, e.column, e.message) for e in excinfo.value.errors]


DESIGN = csv_bytes(
    ",Design,,Junior,1,Execution,Delivery,Ships small changes.",
    ",Design,,Junior,1,Execution,Delivery,Asks for help.",
    ",Design,,Junior,1,Collaboration,Feedback,Gives feedback.",
    ",Design,,Senior,2,Execution,Delivery,Ships projects.",
    ",Content,,Junior,1,Collaboration,Feedback,Listens.",
)


def test_parse_builds_a_valid_document_in_file_order():
    document = parse_long_csv(DESIGN)
    assert validate_document(document) == []
    assert [r["name"] for r in document["roles"]] == ["Design", "Content"]
    assert [p["key"] for p in document["positions"]] == [
        "design.junior",
        "design.senior",
        "content.junior",
    ]
    assert [(c["category"], c["name"]) for c in document["competencies"]] == [
        ("Execution", "Delivery"),
        ("Collaboration", "Feedback"),
    ]
    assert [e["key"] for e in document["expectations"]] == [
        "design.junior.delivery.1",
        "design.junior.delivery.2",
        "design.junior.feedback.1",
        "design.senior.delivery.1",
        "content.junior.feedback.1",
    ]
    assert document["expectations"][1]["text"] == "Asks for help."


def test_a_level_used_by_several_roles_is_shared_and_one_role_s_level_is_its_own():
    levels = {lv["name"]: lv for lv in parse_long_csv(DESIGN)["levels"]}
    assert levels["Junior"]["role"] is None
    assert levels["Senior"]["role"] == "design"
    assert [lv["rank"] for lv in levels.values()] == [1, 2]


def test_shared_levels_that_would_hold_one_rank_are_split_per_role():
    document = parse_long_csv(
        csv_bytes(
            ",A,,Senior,1,,Craft,a",
            ",B,,Senior,1,,Craft,b",
            ",C,,Lead,1,,Craft,c",
            ",D,,Lead,1,,Craft,d",
        )
    )
    assert [(lv["name"], lv["role"]) for lv in document["levels"]] == [
        ("Senior", "a"),
        ("Senior", "b"),
        ("Lead", "c"),
        ("Lead", "d"),
    ]
    assert validate_document(document) == []


def test_tracks_starting_above_another_track_fork_from_it_with_promotions_and_switches():
    document = parse_long_csv(
        csv_bytes(
            "Common,Eng,,Engineer,1,,Tech,a",
            "Common,Eng,,Senior,2,,Tech,b",
            "IC,Eng,,Principal,3,,Tech,c",
            "Manager,Eng,,Head,3,,Tech,d",
        )
    )
    assert [(t["name"], t["forks_from"]) for t in document["tracks"]] == [
        ("Common", None),
        ("IC", "common"),
        ("Manager", "common"),
    ]
    assert [(s["from"], s["to"], s["kind"]) for s in document["path_steps"]] == [
        ("eng.engineer", "eng.senior", "promotion"),
        ("eng.senior", "eng.principal", "promotion"),
        ("eng.senior", "eng.head", "promotion"),
        ("eng.principal", "eng.head", "track_switch"),
        ("eng.head", "eng.principal", "track_switch"),
    ]


def test_bom_crlf_blank_lines_surrounding_spaces_and_column_order_do_not_matter():
    plain = parse_long_csv(DESIGN)
    text = DESIGN.decode()
    assert parse_long_csv(b"\xef\xbb\xbf" + DESIGN) == plain
    assert parse_long_csv(text.replace("\n", "\r\n").encode()) == plain
    assert parse_long_csv(text.replace("\n", "\n\n ,,,,,,,\n").encode()) == plain
    assert parse_long_csv(text.replace(",", " , ").replace("\n", " \n").encode()) == plain
    rows = list(csv.reader(io.StringIO(text)))
    shuffled = io.StringIO()
    csv.writer(shuffled, lineterminator="\n").writerows([list(reversed(r)) for r in rows])
    assert parse_long_csv(shuffled.getvalue().encode()) == plain


def test_quoted_fields_keep_commas_quotes_and_newlines():
    data = csv_bytes(
        ',Design,,Junior,1,,Craft,"Says ""no"", kindly."',
        ',Design,,Junior,1,,Craft,"Two\nlines."',
        ",Design,,Junior,x,,Craft,bad order",
    )
    assert problems(data) == [(5, "level_order", "'x' is not a whole number")]
    texts = [e["text"] for e in parse_long_csv(data.replace(b",x,", b",1,"))["expectations"]]
    assert texts == ['Says "no", kindly.', "Two\nlines.", "bad order"]


ROW = ",Design,,Junior,1,,Craft,Does it."
BAD = {
    "empty file": (b"", [(1, "file", "the file is empty")]),
    "only a BOM and blank lines": (b"\xef\xbb\xbf\r\n \n", [(1, "file", "the file is empty")]),
    "header only": (
        csv_bytes(),
        [(2, "file", "the file has a header but no statements")],
    ),
    "missing columns": (
        csv_bytes(
            ",Design,,Junior,1,Craft", header="track,role,sub_role,level,level_order,competency"
        ),
        [(1, "category", "missing column"), (1, "expectation", "missing column")],
    ),
    "unknown column": (
        csv_bytes(ROW + ",x", header=HEADER + ",notes"),
        [(1, "notes", f"unknown column; expected {HEADER}")],
    ),
    "repeated column": (
        csv_bytes(ROW + ",x", header=HEADER + ",role"),
        [(1, "role", "column appears more than once")],
    ),
    "empty statements": (
        csv_bytes(ROW, ",Design,,Junior,1,,Craft,", ROW, ',Design,,Junior,1,,Craft," "'),
        [(3, "expectation", "empty statement"), (5, "expectation", "empty statement")],
    ),
    "empty role, level and competency": (
        csv_bytes(",,,,1,,,text"),
        [
            (2, "role", "must not be empty"),
            (2, "level", "must not be empty"),
            (2, "competency", "must not be empty"),
        ],
    ),
    "non-integer level_order": (
        csv_bytes(ROW, ",Design,,Senior,2.5,,Craft,x", ",Design,,Lead,,,Craft,x"),
        [
            (3, "level_order", "'2.5' is not a whole number"),
            (4, "level_order", "must not be empty"),
        ],
    ),
    "level_order below 1": (
        csv_bytes(",Design,,Junior,0,,Craft,x"),
        [(2, "level_order", "must be 1 or more")],
    ),
    "conflicting level_order": (
        csv_bytes(ROW, ROW, ",Design,,Junior,2,,Craft,x"),
        [(4, "level_order", "2 conflicts with 1 given for level 'Junior' of 'Design' on line 2")],
    ),
    "two levels at one order": (
        csv_bytes(ROW, ",Design,,Senior,1,,Craft,x"),
        [(3, "level_order", "1 is already the order of level 'Junior' of 'Design' (line 2)")],
    ),
    "wrong number of fields": (
        csv_bytes(ROW, ",Design,Junior,1,,Craft,x"),
        [(3, "row", "has 7 fields, the header has 8")],
    ),
    "undecodable bytes": (
        csv_bytes(ROW, ",Design,,Junior,1,,Craft,Caf\xe9 talk".replace("\xe9", "@"), ROW).replace(
            b"@", b"\xe9"
        ),
        [(3, "expectation", "undecodable bytes (the file must be UTF-8)")],
    ),
    "NUL character": (
        csv_bytes(ROW, ",Design,,Junior,1,,Craft,Does\x00it."),
        [(3, "expectation", "contains a NUL character")],
    ),
    "name too long": (
        csv_bytes(f",{'R' * 201},,Junior,1,,Craft,x"),
        [(2, "role", "longer than 200 characters (201)")],
    ),
}


@pytest.mark.parametrize("data, expected", BAD.values(), ids=BAD.keys())
def test_bad_input_is_refused_with_every_problem_located(data, expected):
    assert problems(data) == expected


def test_problems_are_listed_in_line_order_across_checks():
    data = csv_bytes(",Design,,Junior,1,,Craft,", ",Design,Junior,1,,Craft,x")
    assert [(line, column) for line, column, _ in problems(data)] == [
        (2, "expectation"),
        (3, "row"),
    ]


def test_long_role_and_level_names_still_give_valid_unique_keys():
    role = "Senior Principal Distinguished Software Engineering Architecture Specialist"
    level = "Level {} of the very long ladder of principal engineering roles"
    data = csv_bytes(*(f",{role},,{level.format(i)},{i},,Craft,x" for i in (1, 2, 3)))
    document = parse_long_csv(data)
    keys = [s["key"] for s in document["path_steps"]]
    assert len(keys) == 2 and len(set(keys)) == 2
    assert all(len(key) <= KEY_MAX_LENGTH for key in keys)
    assert parse_long_csv(data) == document, "keys are the same on every import"


def test_write_gives_one_row_per_statement_in_document_order_with_lf_and_no_bom():
    assert write_long_csv(parse_long_csv(DESIGN)).encode() == DESIGN
    assert write_long_csv(parse_long_csv(b"\xef\xbb\xbf" + DESIGN)).encode() == DESIGN


def test_write_quotes_what_needs_quoting():
    data = csv_bytes(',"Design, UX",,Junior,1,,Craft,"Says ""no""."')
    assert write_long_csv(parse_long_csv(data)).encode() == data


def test_write_names_tracks_and_sub_roles_of_any_document():
    document = make_tracked_document()
    rows = list(csv.DictReader(io.StringIO(write_long_csv(document))))
    assert len(rows) == len(document["expectations"])
    assert rows[0] == {
        "track": "Common",
        "role": "Design",
        "sub_role": "",
        "level": "Junior",
        "level_order": "1",
        "category": "Project execution",
        "competency": "Craft",
        "expectation": document["expectations"][0]["text"],
    }
    assert rows[-1]["sub_role"] == "Research"
    assert {r["track"] for r in rows} == {"Common", "Individual Contributor", "People Manager"}
