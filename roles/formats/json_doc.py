"""JSON import/export: the framework document itself."""

from __future__ import annotations

import json

from roles.document import Document, pretty_json, validate_document, with_defaults
from roles.formats import FormatError, ImportFailed


def parse_json(data: bytes) -> Document:
    """Parse and validate a framework document; raises ImportFailed with located errors."""
    if not data.strip():
        raise ImportFailed([FormatError(1, "document", "the file is empty")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            [FormatError(line, "document", f"undecodable bytes (not UTF-8) at byte {exc.start}")]
        ) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            [FormatError(exc.lineno, f"column {exc.colno}", f"invalid JSON: {exc.msg}")]
        ) from None
    document = with_defaults(raw)
    problems = validate_document(document)
    if problems:
        raise ImportFailed([FormatError(None, p.path or "document", p.message) for p in problems])
    return document


def write_json(document: Document) -> str:
    return pretty_json(document)
