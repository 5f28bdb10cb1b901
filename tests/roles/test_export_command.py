"""``export_framework``: which version, which format, where to."""

from __future__ import annotations

import json

import pytest

from roles.formats.long_csv import write_long_csv
from roles.services import draft_replace, version_publish
from tests.factories import FrameworkFactory, PublishedFrameworkFactory, make_document


@pytest.fixture
def design(db):
    """'design': v1 (1 role), v2 current (2 roles), and a draft edited since (3 roles)."""
    framework = PublishedFrameworkFactory(slug="design", content=make_document(roles=1))
    draft_replace(framework=framework, document=make_document(roles=2))
    version_publish(framework=framework)
    draft_replace(framework=framework, document=make_document(roles=3))
    return framework


def exported_roles(run_command, *args: str) -> int:
    run = run_command("export_framework", "design", "--format", "json", "-o", "-", *args)
    return len(json.loads(run.out)["roles"])


@pytest.mark.parametrize(
    "args, roles",
    [
        ([], 2),
        (["--version", "latest"], 2),
        (["--version", "1"], 1),
        (["--version", "2"], 2),
        (["--version", "draft"], 3),
    ],
    ids=["default-latest", "latest", "v1", "v2", "draft"],
)
def test_export_picks_the_requested_version(design, run_command, args, roles):
    assert exported_roles(run_command, *args) == roles


def test_json_export_to_stdout_is_the_pretty_document(design, run_command):
    run = run_command("export_framework", "design", "--format", "json", "-o", "-")
    assert json.loads(run.out) == make_document(roles=2)
    assert run.out.startswith('{\n  "competencies": [')
    assert run.out.endswith("}\n")
    assert run.err == ""


def test_csv_export_to_stdout_is_the_long_csv(design, run_command):
    run = run_command("export_framework", "design", "--format", "csv", "-o", "-", "--version", "1")
    assert run.out == write_long_csv(make_document(roles=1))
    first_row = ",Role 1,,Level 1,1,Project execution,Competency 1,Competency 1 statement 1 at"
    assert run.out.splitlines()[1] == first_row + " Level 1."


def test_export_to_a_file_writes_utf8_with_lf_and_prints_a_summary(design, run_command, tmp_path):
    path = tmp_path / "design.csv"
    run = run_command("export_framework", "design", "--format", "csv", "-o", str(path))
    assert path.read_bytes() == write_long_csv(make_document(roles=2)).encode()
    assert b"\r\n" not in path.read_bytes()
    assert run.out == f"Exported design v2 as csv to {path}.\n"


def test_export_of_the_draft_names_it_in_the_summary(design, run_command, tmp_path):
    path = tmp_path / "design.json"
    run = run_command(
        "export_framework", "design", "--version", "draft", "--format", "json", "-o", str(path)
    )
    assert json.loads(path.read_text(encoding="utf-8")) == make_document(roles=3)
    assert run.out == f"Exported design draft as json to {path}.\n"


@pytest.mark.parametrize(
    "slug, version, message",
    [
        ("nope", "latest", "No framework with slug 'nope'."),
        ("design", "3", "design has no version '3'"),
        ("design", "0", "design has no version '0'"),
        ("design", "newest", "version must be a number, 'latest' or 'draft', not 'newest'"),
        ("unpublished", "latest", "unpublished has no version 'latest'"),
        ("unpublished", "1", "unpublished has no version '1'"),
    ],
)
def test_export_of_a_missing_version_exits_with_status_2(
    design, run_command, slug, version, message
):
    FrameworkFactory(slug="unpublished")
    run = run_command(
        "export_framework", slug, "--version", version, "--format", "csv", "-o", "-", fails=True
    )
    assert run.error.returncode == 2
    assert str(run.error) == message
    assert run.out == ""


def test_export_to_an_unwritable_place_exits_with_status_2(design, run_command, tmp_path):
    path = tmp_path / "no" / "such" / "dir.csv"
    run = run_command("export_framework", "design", "--format", "csv", "-o", str(path), fails=True)
    assert run.error.returncode == 2
    assert str(run.error) == f"{path}: No such file or directory"


def test_the_draft_of_a_new_framework_exports_as_a_header_only_csv(db, run_command):
    FrameworkFactory(slug="new")
    run = run_command("export_framework", "new", "--version", "draft", "--format", "csv", "-o", "-")
    assert run.out == "track,role,sub_role,level,level_order,category,competency,expectation\n"
