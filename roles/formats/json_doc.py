"""JSON import/export: the framework document itself."""

from __future__ import annotations

import json

from django.utils.translation import gettext

from roles.document import Document, pretty_json, validate_document, with_defaults
from roles.formats import FormatError, ImportFailed


def parse_json(data: bytes) -> Document:
    """Parse and validate a framework document; raises ImportFailed with located errors."""
    whole = gettext("document")  # where a problem with the file as a whole is
    if not data.strip():
        raise ImportFailed([FormatError(1, whole, gettext("the file is empty"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = gettext("undecodable bytes (not UTF-8) at byte %(offset)s")
        raise ImportFailed([FormatError(line, whole, message % {"offset": exc.start})]) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        column = gettext("column %(number)s") % {"number": exc.colno}
        message = gettext("invalid JSON: %(reason)s") % {"reason": exc.msg}
        raise ImportFailed([FormatError(exc.lineno, column, message)]) from None
    document = with_defaults(raw)
    problems = validate_document(document)
    if problems:
        raise ImportFailed([FormatError(None, p.path or whole, p.message) for p in problems])
    return document


def write_json(document: Document) -> str:
    return pretty_json(document)
