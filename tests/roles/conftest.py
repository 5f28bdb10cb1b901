"""Fixtures for the roles tests: the real frameworks, running commands, database state."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from roles.document import Document
from roles.formats.long_csv import parse_long_csv
from roles.models import (
    Competency,
    Expectation,
    Framework,
    FrameworkVersion,
    Level,
    PathStep,
    Position,
    PromotionCriterion,
    Role,
    SubRole,
    Track,
)
from roles.serialization import document_from_version
from tests.frameworks import frameworks_dir as shared_frameworks_dir

REPO = Path(__file__).resolve().parents[2]
# Every CSV in shared/frameworks; test_round_trip checks that the directory holds exactly these.
FRAMEWORKS = ("snowflake", "monzo", "dropbox", "ft")
CONTENT_MODELS = (
    Track,
    Role,
    SubRole,
    Level,
    Competency,
    Position,
    Expectation,
    PromotionCriterion,
    PathStep,
)


@pytest.fixture(scope="session")
def frameworks_dir() -> Path:
    """The real frameworks are required: a missing directory fails the tests, never skips."""
    return shared_frameworks_dir()


@dataclass(frozen=True)
class RealFramework:
    name: str
    path: Path
    data: bytes

    @property
    def rows(self) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(self.data.decode("utf-8-sig"), newline="")))

    def counts(self) -> dict[str, int]:
        """Counted from the file as frameworks/README.md counts: a level is a distinct
        (role, track, level), a competency a distinct (category, competency)."""
        rows = self.rows
        return {
            "rows": len(rows),
            "roles": len({r["role"] for r in rows}),
            "levels": len({(r["role"], r["track"], r["level"]) for r in rows}),
            "competencies": len({(r["category"], r["competency"]) for r in rows}),
            "cells": len({(r["role"], r["track"], r["level"], r["competency"]) for r in rows}),
        }

    def document(self) -> Document:
        """Parsed once per session; do not mutate it."""
        return _parsed(self.path)


@cache
def _parsed(path: Path) -> Document:
    return parse_long_csv(path.read_bytes())


@pytest.fixture(params=[pytest.param(name, marks=pytest.mark.slow) for name in FRAMEWORKS])
def real_framework(request, frameworks_dir: Path) -> RealFramework:
    """Each real framework in turn (the tests using it are marked slow)."""
    path = frameworks_dir / f"{request.param}.csv"
    if not path.is_file():
        pytest.fail(f"{path} is missing from the real frameworks directory.", pytrace=False)
    return RealFramework(request.param, path, path.read_bytes())


def normalise_csv(data: bytes) -> bytes:
    """What the round trip may change: line endings and a BOM."""
    return data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")


@dataclass
class CommandRun:
    out: str
    err: str
    error: CommandError | None

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def run_command(db) -> Callable[..., CommandRun]:
    """``run_command(name, *args, fails=False)``: runs a management command, capturing its
    output; with ``fails=True`` the command must raise CommandError (returned in ``error``)."""

    def run(name: str, *args: str, fails: bool = False) -> CommandRun:
        out, err = io.StringIO(), io.StringIO()
        if not fails:
            call_command(name, *args, stdout=out, stderr=err)
            return CommandRun(out.getvalue(), err.getvalue(), None)
        with pytest.raises(CommandError) as excinfo:
            call_command(name, *args, stdout=out, stderr=err)
        return CommandRun(out.getvalue(), err.getvalue(), excinfo.value)

    return run


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    def write(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return write


def db_state() -> dict[str, Any]:
    """Everything an import may write: frameworks, versions with their content, row counts."""
    versions = list(FrameworkVersion.objects.order_by("pk"))
    return {
        "frameworks": list(Framework.objects.order_by("pk").values()),
        "versions": list(FrameworkVersion.objects.order_by("pk").values()),
        "documents": {v.pk: document_from_version(v) for v in versions},
        "rows": {model.__name__: model.objects.count() for model in CONTENT_MODELS},
    }


@pytest.fixture
def state(db) -> Callable[[], dict[str, Any]]:
    return db_state
