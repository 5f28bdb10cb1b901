"""Backup and restore (docs/operations.md): a framework's documents survive each documented path.

- ``dumpdata`` / ``loaddata``: portable JSON, also moves an installation between databases;
- ``pg_dump -Fc`` / ``pg_restore`` on PostgreSQL; the online backup API on SQLite.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from roles.document import document_sha256
from roles.models import Framework, FrameworkVersion
from roles.serialization import document_from_version
from roles.services import framework_import, version_publish
from tests.factories import make_document
from tests.frameworks import framework_document

# The same list as docs/operations.md: content types and permissions are recreated by
# migrate, sessions are disposable.
ROOT = Path(__file__).resolve().parents[2]
DUMP_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def _documents() -> dict[tuple[str, int | None, str], dict]:
    return {
        (v.framework.slug, v.number, v.status): document_from_version(v)
        for v in FrameworkVersion.objects.select_related("framework")
    }


@pytest.fixture
def content(transactional_db):
    """A real framework published twice (v1 archived, v2 current, the draft), and a small one."""
    real = framework_document("dropbox")
    framework_import(slug="dropbox", document=real, publish=True)
    framework = Framework.objects.get(slug="dropbox")
    version_publish(framework=framework)
    framework_import(slug="small", document=make_document(roles=2, levels=3, sub_roles=1))
    return _documents()


def _dump(database: str = "default") -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        *[f"--exclude={label}" for label in DUMP_EXCLUDE],
        "--natural-foreign",
        "--indent=1",
        database=database,
        stdout=out,
    )
    return out.getvalue()


@pytest.mark.slow
def test_dumpdata_and_loaddata_bring_every_document_back(content, tmp_path):
    backup = tmp_path / "backup.json"
    backup.write_text(_dump())
    call_command("flush", "--no-input")
    assert FrameworkVersion.objects.count() == 0
    call_command("loaddata", str(backup), stdout=io.StringIO())
    restored = _documents()
    assert restored == content
    assert len(restored) == 4  # dropbox v1, v2 and draft; small's draft
    # Stored hashes still match the restored rows (the publish gate relies on them).
    for version in FrameworkVersion.objects.exclude(document_sha256=""):
        assert version.document_sha256 == document_sha256(document_from_version(version))


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    pytest.fail(f"{name} is not installed: it comes with PostgreSQL's client programs")


def _pg_dump_restore(tmp_path: Path) -> dict:
    """pg_dump -Fc the test database, pg_restore it into a new one; its settings."""
    db = connection.settings_dict
    conn_args = ["-h", db["HOST"] or "localhost", "-p", str(db["PORT"] or 5432)]
    conn_args += ["-U", db["USER"]]
    env = {"PGPASSWORD": db["PASSWORD"] or "", "PATH": "/usr/bin:/bin"}
    dump = tmp_path / "careerframe.dump"
    subprocess.run(
        [_pg_tool("pg_dump"), "-Fc", "-f", str(dump), *conn_args, db["NAME"]], check=True, env=env
    )
    target = f"{db['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f'CREATE DATABASE "{target}"')
    subprocess.run(
        [_pg_tool("pg_restore"), "--no-owner", "-d", target, *conn_args, str(dump)],
        check=True,
        env=env,
    )
    return {**db, "NAME": target}


def _sqlite_backup(tmp_path: Path) -> dict:
    """SQLite's online backup API (what ``sqlite3 db.sqlite3 ".backup file"`` uses)."""
    copy = tmp_path / "backup.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return {**connection.settings_dict, "NAME": str(copy)}


def _dump_elsewhere(database_url: str) -> str:
    """``dumpdata`` of another database, by a separate ``manage.py`` as an operator runs it."""
    result = subprocess.run(
        [sys.executable, "manage.py", "dumpdata", *[f"--exclude={x}" for x in DUMP_EXCLUDE]]
        + ["--natural-foreign", "--indent=1"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.mark.slow
def test_the_databases_own_backup_keeps_every_document(content, tmp_path):
    """PostgreSQL: pg_dump/pg_restore. SQLite: the online backup. Restored = original."""
    postgres = connection.vendor == "postgresql"
    restored = _pg_dump_restore(tmp_path) if postgres else _sqlite_backup(tmp_path)
    try:
        if postgres:
            url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
                **{k: restored[k] or "" for k in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}
            )
        else:
            url = f"sqlite:///{restored['NAME']}"
        assert _dump_elsewhere(url) == _dump()
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{restored["NAME"]}"')
