"""The four real frameworks: import then export gives the same rows, in the same order."""

from __future__ import annotations

import re
from pathlib import Path

from roles.models import Competency, Expectation, Framework, Position, Role
from roles.services import draft_get
from tests.roles.conftest import FRAMEWORKS, RealFramework, normalise_csv


def test_the_frameworks_directory_holds_exactly_the_tested_files(frameworks_dir: Path):
    assert sorted(p.stem for p in frameworks_dir.glob("*.csv")) == sorted(FRAMEWORKS)


def readme_counts(frameworks_dir: Path) -> dict[str, dict[str, int]]:
    """The README's counts table: | `name.csv` | rows | roles | levels | competencies | cells |"""
    text = (frameworks_dir / "README.md").read_text(encoding="utf-8")
    table = text.split("## Counts", 1)[1].split("\n## ", 1)[0]
    columns = ("rows", "roles", "levels", "competencies", "cells")
    counts = {}
    for match in re.finditer(r"^\| `(\w+)\.csv` \|([\d |]+)\|$", table, re.MULTILINE):
        numbers = [int(n) for n in match.group(2).split("|")]
        counts[match.group(1)] = dict(zip(columns, numbers, strict=True))
    return counts


def test_counting_from_the_file_agrees_with_the_frameworks_readme(
    real_framework: RealFramework, frameworks_dir: Path
):
    assert real_framework.counts() == readme_counts(frameworks_dir)[real_framework.name]


def import_and_export(run_command, tmp_path: Path, path: Path, slug: str, fmt: str) -> bytes:
    run_command("import_framework", str(path), "--slug", slug, "--publish")
    out = tmp_path / f"{slug}.{fmt}"
    run_command("export_framework", slug, "--format", fmt, "-o", str(out), "--version", "draft")
    return out.read_bytes()


def test_import_then_csv_export_gives_the_same_rows_in_the_same_order(
    real_framework: RealFramework, run_command, tmp_path: Path
):
    exported = import_and_export(run_command, tmp_path, real_framework.path, "real", "csv")
    assert exported == normalise_csv(real_framework.data)
    latest = run_command("export_framework", "real", "--format", "csv", "-o", "-").out
    assert latest.encode() == exported


def test_import_creates_the_roles_levels_competencies_and_statements_of_the_file(
    real_framework: RealFramework, run_command
):
    run = run_command("import_framework", str(real_framework.path), "--slug", "real")
    draft = draft_get(framework=Framework.objects.get(slug="real"))
    counts = real_framework.counts()
    assert Role.objects.filter(version=draft).count() == counts["roles"]
    assert Position.objects.filter(version=draft).count() == counts["levels"]
    assert Competency.objects.filter(version=draft).count() == counts["competencies"]
    statements = Expectation.objects.filter(version=draft)
    assert statements.count() == counts["rows"]
    cells = statements.values_list("position", "competency").distinct().count()
    assert cells == counts["cells"]
    for what in ("roles", "competencies"):
        assert f"{counts[what]} {what}," in run.out
    assert f"{counts['levels']} positions," in run.out
    assert f"{counts['rows']} statements." in run.out


def test_json_export_import_export_is_identical(
    real_framework: RealFramework, run_command, tmp_path: Path
):
    first = import_and_export(run_command, tmp_path, real_framework.path, "real", "csv")
    json_path = tmp_path / "real.json"
    run_command("export_framework", "real", "--format", "json", "-o", str(json_path))
    again = import_and_export(run_command, tmp_path, json_path, "copy", "json")
    assert again == json_path.read_bytes()
    copy_csv = run_command("export_framework", "copy", "--format", "csv", "-o", "-").out
    assert copy_csv.encode() == first
    original, copy = (
        draft_get(framework=Framework.objects.get(slug=slug)) for slug in ("real", "copy")
    )
    assert original.document_sha256 == copy.document_sha256
