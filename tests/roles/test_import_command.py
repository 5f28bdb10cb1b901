"""``import_framework``: create, replace the draft, publish; the format; the size limit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc

import pytest

from roles.document import document_sha256, pretty_json
from roles.formats.long_csv import COLUMNS
from roles.models import Expectation, Framework, FrameworkVersion
from roles.serialization import document_from_version
from roles.services import draft_get
from tests.factories import make_tracked_document
from tests.roles.conftest import REPO

HEADER = ",".join(COLUMNS)
GOOD_CSV = "\n".join(
    [
        HEADER,
        ",Design,,Junior,1,Execution,Delivery,Ships small changes.",
        ",Design,,Junior,1,Execution,Delivery,Asks for help.",
        ",Design,,Senior,2,Execution,Delivery,Ships projects.",
        ",Design,,Senior,2,Collaboration,Feedback,Gives feedback.",
        "",
    ]
)
OTHER_CSV = GOOD_CSV.replace("Design", "Research").replace("Ships", "Plans")


def draft_document(slug: str):
    return document_from_version(draft_get(framework=Framework.objects.get(slug=slug)))


def test_import_creates_the_framework_and_prints_a_summary(run_command, write_file):
    path = write_file("design.csv", GOOD_CSV)
    run = run_command("import_framework", str(path), "--slug", "design")
    framework = Framework.objects.get(slug="design")
    assert framework.name == "Design"
    assert [v.label for v in framework.versions.all()] == ["draft"]
    assert [e["text"] for e in draft_document("design")["expectations"]] == [
        "Ships small changes.",
        "Asks for help.",
        "Ships projects.",
        "Gives feedback.",
    ]
    assert run.out == (
        f"Imported {path} into 'design' (created): 1 roles, 2 levels, 2 positions, "
        "2 competencies, 4 statements.\n"
    )
    assert run.err == ""


def test_import_again_replaces_the_draft(run_command, write_file):
    run_command("import_framework", str(write_file("a.csv", GOOD_CSV)), "--slug", "design")
    before = draft_get(framework=Framework.objects.get(slug="design"))
    run = run_command(
        "import_framework", str(write_file("b.csv", OTHER_CSV)), "--slug", "design", "--name", "R"
    )
    assert "(draft replaced)" in run.out
    after = draft_get(framework=Framework.objects.get(slug="design"))
    assert after.pk == before.pk and after.lock_version == before.lock_version + 1
    assert [r["name"] for r in draft_document("design")["roles"]] == ["Research"]
    assert Expectation.objects.filter(version=after).count() == 4
    assert Framework.objects.get().name == "R"


def test_import_with_publish_publishes_v1_then_v2(run_command, write_file):
    first = write_file("a.csv", GOOD_CSV)
    run = run_command("import_framework", str(first), "--slug", "design", "--publish")
    assert run.out.endswith("; published v1.\n")
    run = run_command(
        "import_framework", str(write_file("b.csv", OTHER_CSV)), "--slug", "design", "--publish"
    )
    assert run.out.endswith("; published v2.\n")
    versions = FrameworkVersion.objects.filter(framework__slug="design").order_by("pk")
    assert [(v.label, v.status) for v in versions] == [
        ("draft", "draft"),
        ("v1", "archived"),
        ("v2", "published"),
    ]
    v2 = versions.get(number=2)
    assert document_from_version(v2) == draft_document("design")
    assert v2.document_sha256 == document_sha256(draft_document("design"))
    assert document_from_version(versions.get(number=1))["roles"][0]["name"] == "Design"


def test_import_without_publish_leaves_the_published_version_alone(run_command, write_file):
    run_command("import_framework", str(write_file("a.csv", GOOD_CSV)), "--slug", "d", "--publish")
    v1 = FrameworkVersion.objects.get(number=1)
    published = document_from_version(v1)
    run_command("import_framework", str(write_file("b.csv", OTHER_CSV)), "--slug", "d")
    assert document_from_version(v1) == published
    assert FrameworkVersion.objects.get(number=1).status == "published"


@pytest.mark.parametrize(
    "name, content, options",
    [
        ("design.json", pretty_json(make_tracked_document()), []),
        ("design.JSON", pretty_json(make_tracked_document()), []),
        ("design.txt", pretty_json(make_tracked_document()), ["--format", "json"]),
        ("design.csv", pretty_json(make_tracked_document()), ["--format", "json"]),
    ],
    ids=["from-extension", "extension-any-case", "override-unknown", "override-wrong"],
)
def test_json_format_comes_from_the_extension_or_format_option(
    run_command, write_file, name, content, options
):
    run_command("import_framework", str(write_file(name, content)), "--slug", "design", *options)
    assert draft_document("design") == make_tracked_document()


def test_format_csv_option_reads_a_file_without_extension(run_command, write_file):
    path = write_file("export", GOOD_CSV)
    run_command("import_framework", str(path), "--slug", "design", "--format", "csv")
    assert len(draft_document("design")["expectations"]) == 4


def test_json_document_with_omitted_defaults_and_a_bom_is_accepted(run_command, write_file):
    document = make_tracked_document()
    document["roles"] = [{"key": r["key"], "name": r["name"]} for r in document["roles"]]
    data = b"\xef\xbb\xbf" + json.dumps(document).encode()
    run_command("import_framework", str(write_file("d.json", data)), "--slug", "design")
    assert draft_document("design")["roles"][1] == {
        "key": "content",
        "name": "Content Design",
        "description": "",
    }


def test_csv_with_bom_and_crlf_is_accepted(run_command, write_file):
    data = b"\xef\xbb\xbf" + GOOD_CSV.replace("\n", "\r\n").encode()
    run_command("import_framework", str(write_file("bom.csv", data)), "--slug", "design")
    assert draft_document("design")["roles"][0]["name"] == "Design"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["{path}", "--slug", "Design Team"],
            "--slug 'Design Team' is not a slug (try 'design-team')",
        ),
        (["{dir}/design.docx", "--slug", "d"], "{dir}/design.docx: cannot tell the format"),
        (["{dir}/missing.csv", "--slug", "d"], "{dir}/missing.csv: No such file or directory"),
        (["{dir}", "--slug", "d", "--format", "csv"], "{dir}: Is a directory"),
    ],
    ids=["bad-slug", "unknown-extension", "missing-file", "directory"],
)
def test_unusable_arguments_exit_with_status_2(run_command, write_file, tmp_path, args, message):
    path = write_file("design.csv", GOOD_CSV)
    args = [a.format(path=path, dir=tmp_path) for a in args]
    run = run_command("import_framework", *args, fails=True)
    assert run.error.returncode == 2
    assert str(run.error).startswith(message.format(dir=tmp_path))
    assert not Framework.objects.exists()


def test_a_file_over_the_size_limit_is_refused(run_command, write_file, settings, state):
    run_command("import_framework", str(write_file("a.csv", GOOD_CSV)), "--slug", "design")
    before = state()
    size = len(OTHER_CSV.encode())
    path = write_file("big.csv", OTHER_CSV)
    settings.CAREERFRAME_MAX_IMPORT_BYTES = size - 1
    run = run_command("import_framework", str(path), "--slug", "design", fails=True)
    assert run.error.returncode == 2
    assert str(run.error) == (
        f"{path}: the file is {size} bytes, over the import limit of {size - 1} bytes "
        "(CAREERFRAME_MAX_IMPORT_BYTES); nothing was imported."
    )
    assert state() == before
    settings.CAREERFRAME_MAX_IMPORT_BYTES = size
    run_command("import_framework", str(path), "--slug", "design")
    assert draft_document("design")["roles"][0]["name"] == "Research"


def test_the_size_limit_is_checked_before_reading_the_file(run_command, tmp_path, settings):
    settings.CAREERFRAME_MAX_IMPORT_BYTES = 1024 * 1024
    path = tmp_path / "huge.csv"
    with path.open("wb") as file:
        file.truncate(256 * 1024 * 1024)  # sparse: takes no disk space
    tracemalloc.start()
    try:
        run = run_command("import_framework", str(path), "--slug", "design", fails=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert run.error.returncode == 2
    assert "the file is 268435456 bytes, over the import limit of 1048576 bytes" in str(run.error)
    assert peak < 16 * 1024 * 1024


@pytest.mark.parametrize(
    "content, env, stderr",
    [
        (
            GOOD_CSV + ",Design,,Lead,three,,Craft,x\n",
            {},
            "{path}:6: level_order: 'three' is not a whole number\n"
            "CommandError: 1 problem(s) in {path}; nothing was imported.\n",
        ),
        (
            GOOD_CSV,
            {"CAREERFRAME_MAX_IMPORT_BYTES": "10"},
            "CommandError: {path}: the file is {size} bytes, over the import limit of 10 bytes "
            "(CAREERFRAME_MAX_IMPORT_BYTES); nothing was imported.\n",
        ),
    ],
    ids=["bad-row", "too-big"],
)
def test_the_command_line_exits_with_status_2(tmp_path, content, env, stderr):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_framework", str(path), "--slug", "design"],
        cwd=REPO,
        capture_output=True,
        text=True,
        # A database nobody uses: bad input must be refused before any query.
        env={**os.environ, **env, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"},
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == stderr.format(path=path, size=len(content.encode()))
