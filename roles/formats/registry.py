"""Format names, file extensions, content types and their parse/write functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from roles.document import Document
from roles.formats import ExportInfo
from roles.formats.json_doc import parse_json, write_json
from roles.formats.long_csv import parse_long_csv, write_long_csv
from roles.formats.markdown_doc import write_markdown


def _parse_xlsx(data: bytes) -> Document:
    from roles.formats.xlsx import parse_xlsx  # openpyxl loads only for workbooks

    return parse_xlsx(data)


def _write_xlsx(document: Document, info: ExportInfo) -> bytes:
    from roles.formats.xlsx import write_xlsx

    return write_xlsx(document)


def _write_pdf(document: Document, info: ExportInfo) -> bytes:
    from roles.formats.pdf import write_pdf  # WeasyPrint loads Pango: only for PDFs

    return write_pdf(document, info)


@dataclass(frozen=True)
class Format:
    name: str  # also the file extension
    content_type: str
    write: Callable[[Document, ExportInfo], bytes]
    parse: Callable[[bytes], Document] | None = None  # None: export only
    binary: bool = False  # not text: written to stdout's byte stream


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "csv",
            "text/csv; charset=utf-8",
            lambda document, info: write_long_csv(document).encode("utf-8"),
            parse_long_csv,
        ),
        Format(
            "json",
            "application/json",
            lambda document, info: write_json(document).encode("utf-8"),
            parse_json,
        ),
        Format(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _write_xlsx,
            _parse_xlsx,
            binary=True,
        ),
        Format(
            "md",
            "text/markdown; charset=utf-8",
            lambda document, info: write_markdown(document, info).encode("utf-8"),
        ),
        Format("pdf", "application/pdf", _write_pdf, binary=True),
    )
}
PARSERS: dict[str, Callable[[bytes], Document]] = {
    name: f.parse for name, f in FORMATS.items() if f.parse is not None
}
CONTENT_TYPES = {name: f.content_type for name, f in FORMATS.items()}


def format_from_path(path: str) -> str | None:
    """The format named by the file's extension (``.markdown`` is ``md``), if any."""
    suffix = Path(path).suffix.lower().lstrip(".")
    suffix = {"markdown": "md"}.get(suffix, suffix)
    return suffix if suffix in FORMATS else None


def export(fmt: str, document: Document, info: ExportInfo) -> bytes:
    """``document`` in format ``fmt``; ``info`` is printed by the Markdown and PDF formats."""
    return FORMATS[fmt].write(document, info)


def document_counts(document: Document) -> dict[str, int]:
    """Headline numbers people check after an import."""
    return {
        "roles": len(document["roles"]),
        "levels": len(document["levels"]),
        "positions": len(document["positions"]),
        "competencies": len(document["competencies"]),
        "statements": len(document["expectations"]),
    }
