"""Where the real frameworks of ../shared/frameworks/ are, for every test that imports them.

``$CAREERFRAME_FRAMEWORKS_DIR`` wins; then ``shared/frameworks`` next to the repository;
then ``/work/shared/frameworks``. A missing directory fails the test — it is never skipped.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from roles.document import Document
from roles.formats.long_csv import parse_long_csv

REPO = Path(__file__).resolve().parents[1]


@cache
def frameworks_dir() -> Path:
    candidates = [
        os.environ.get("CAREERFRAME_FRAMEWORKS_DIR"),
        REPO.parent / "shared" / "frameworks",
        "/work/shared/frameworks",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "dropbox.csv").is_file():
            return Path(candidate)
    pytest.fail(
        "The shared frameworks (dropbox.csv, …) are missing: set CAREERFRAME_FRAMEWORKS_DIR "
        "to the folder holding them."
    )


@cache
def framework_bytes(name: str) -> bytes:
    return (frameworks_dir() / f"{name}.csv").read_bytes()


def framework_document(name: str) -> Document:
    """A fresh parse each call: callers may mutate it."""
    return parse_long_csv(framework_bytes(name))
