"""One role (or one position) of a document, and ``export_framework --role`` in every format."""

from __future__ import annotations

import copy
import io
import json

import pytest

from roles.document import validate_document
from roles.formats.json_doc import parse_json
from roles.formats.long_csv import parse_long_csv
from roles.formats.subset import UnknownElement, document_for_position, document_for_role
from roles.formats.xlsx import parse_xlsx
from tests.factories import PublishedFrameworkFactory, make_tracked_document
from tests.roles.conftest import RealFramework


def keys(document: dict, kind: str) -> list[str]:
    return [item["key"] for item in document[kind]]


def test_a_role_keeps_its_own_elements_and_only_the_shared_ones_it_uses():
    document = make_tracked_document()
    design = document_for_role(document, "design")
    assert validate_document(design) == []
    assert keys(design, "roles") == ["design"]
    assert keys(design, "sub_roles") == ["design.interaction", "design.research"]
    assert keys(design, "tracks") == ["common", "ic", "mgr"]
    assert keys(design, "levels") == ["junior", "mid", "lead-ic", "lead-mgr"]
    assert keys(design, "competencies") == ["craft", "collab"]  # not content's "writing"
    assert keys(design, "positions") == keys(document, "positions")[:4]
    assert len(design["expectations"]) == 9
    assert keys(design, "criteria") == ["design.mid.c1", "design.lead-ic.c1"]
    # The lateral move to content.mid leaves the role: it is not kept.
    assert [(s["from"], s["to"]) for s in design["path_steps"]] == [
        ("design.junior", "design.mid"),
        ("design.mid", "design.lead-ic"),
        ("design.mid", "design.lead-mgr"),
        ("design.lead-ic", "design.lead-mgr"),
    ]


def test_elements_are_kept_whole_and_in_document_order():
    document = make_tracked_document()
    content = document_for_role(document, "content")
    assert content["levels"] == [document["levels"][i] for i in (0, 1, 4)]
    assert content["roles"] == [document["roles"][1]]
    assert content["expectations"] == [
        e for e in document["expectations"] if e["position"].startswith("content.")
    ]
    assert keys(content, "tracks") == ["common", "ic"]
    assert keys(content, "sub_roles") == [] and content["criteria"] == []


def test_a_role_s_own_competency_is_kept_without_statements():
    document = make_tracked_document()
    document["expectations"] = [e for e in document["expectations"] if e["competency"] != "writing"]
    assert keys(document_for_role(document, "content"), "competencies") == ["collab", "writing"]


def test_the_tracks_a_kept_track_forks_from_are_kept():
    position = document_for_position(make_tracked_document(), "design.lead-ic")
    assert validate_document(position) == []
    assert keys(position, "tracks") == ["common", "ic"]
    assert keys(position, "levels") == ["lead-ic"]
    assert keys(position, "criteria") == ["design.lead-ic.c1"]
    assert position["path_steps"] == []


def test_the_input_document_is_not_changed():
    document = make_tracked_document()
    before = copy.deepcopy(document)
    document_for_role(document, "design")
    document_for_position(document, "design.mid")
    assert document == before


def test_an_unknown_role_or_position_names_the_known_ones():
    with pytest.raises(UnknownElement, match=r"no role 'nope' \(roles: design, content\)"):
        document_for_role(make_tracked_document(), "nope")
    with pytest.raises(UnknownElement, match=r"no position 'design' \(positions: design.junior"):
        document_for_position(make_tracked_document(), "design")


def test_every_role_of_a_real_framework_is_a_valid_document_and_they_partition_it(
    real_framework: RealFramework,
):
    document = real_framework.document()
    parts = [document_for_role(document, role["key"]) for role in document["roles"]]
    for part in parts:
        assert validate_document(part) == []
    statements = [e for part in parts for e in part["expectations"]]
    assert sorted(statements, key=lambda e: e["key"]) == sorted(
        document["expectations"], key=lambda e: e["key"]
    )


# --- export_framework --role ----------------------------------------------------------------

PARSE = {"csv": parse_long_csv, "json": parse_json, "xlsx": parse_xlsx}


@pytest.fixture
def tracked(db):
    return PublishedFrameworkFactory(
        slug="tracked", name="Tracked", content=make_tracked_document()
    )


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "md", "pdf"])
def test_export_of_one_role_in_every_format(tracked, run_command, tmp_path, fmt):
    path = tmp_path / f"design.{fmt}"
    run = run_command(
        "export_framework", "tracked", "--format", fmt, "--role", "design", "-o", str(path)
    )
    assert run.out == f"Exported tracked v1 (role design) as {fmt} to {path}.\n"
    data = path.read_bytes()
    if fmt in PARSE:
        assert [r["name"] for r in PARSE[fmt](data)["roles"]] == ["Design"]
        if fmt != "csv":  # CSV cannot carry criteria, codes and the like
            assert PARSE[fmt](data) == document_for_role(make_tracked_document(), "design")
    elif fmt == "md":
        text = data.decode()
        assert "\n## Design\n" in text and "Content Design" not in text
        assert "Role: Design" in text
    else:
        from pypdf import PdfReader

        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert "Role: Design" in text and "Junior Content Designer" not in text


def test_export_of_an_unknown_role_exits_with_status_2(tracked, run_command):
    run = run_command(
        "export_framework", "tracked", "--format", "json", "--role", "nope", "-o", "-", fails=True
    )
    assert run.error.returncode == 2
    assert str(run.error) == "tracked v1 has no role 'nope' (roles: design, content)."
    assert run.out == ""


def test_export_of_one_position_is_for_printable_formats(tracked, run_command):
    run = run_command(
        "export_framework", "tracked", "--format", "md", "--position", "design.mid", "-o", "-"
    )
    assert "### Designer" in run.out and "### Junior Designer" not in run.out
    assert "Position: Designer (Design)" in run.out
    refused = run_command(
        "export_framework",
        "tracked",
        "--format",
        "json",
        "--position",
        "design.mid",
        "-o",
        "-",
        fails=True,
    )
    assert refused.error.returncode == 2
    assert "--position is for md and pdf exports" in str(refused.error)


def test_role_and_position_together_are_refused(tracked, run_command):
    run = run_command(
        "export_framework",
        "tracked",
        "--format",
        "md",
        "--role",
        "design",
        "--position",
        "design.mid",
        "-o",
        "-",
        fails=True,
    )
    assert run.error.returncode == 2
    assert str(run.error) == "Give --role or --position, not both."


def test_json_export_of_one_role_to_stdout(tracked, run_command):
    run = run_command(
        "export_framework", "tracked", "--format", "json", "--role", "content", "-o", "-"
    )
    assert json.loads(run.out) == document_for_role(make_tracked_document(), "content")
