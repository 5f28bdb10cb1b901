"""Format names, file extensions and their parse/write functions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from roles.document import Document
from roles.formats.json_doc import parse_json, write_json
from roles.formats.long_csv import parse_long_csv, write_long_csv

PARSERS: dict[str, Callable[[bytes], Document]] = {"csv": parse_long_csv, "json": parse_json}
WRITERS: dict[str, Callable[[Document], str]] = {"csv": write_long_csv, "json": write_json}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def format_from_path(path: str) -> str | None:
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in PARSERS else None


def document_counts(document: Document) -> dict[str, int]:
    """Headline numbers people check after an import."""
    return {
        "roles": len(document["roles"]),
        "levels": len(document["levels"]),
        "positions": len(document["positions"]),
        "competencies": len(document["competencies"]),
        "statements": len(document["expectations"]),
    }
