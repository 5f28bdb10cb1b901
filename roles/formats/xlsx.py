"""XLSX import and export (openpyxl): the sheets of ``xlsx_sheets``.

Export writes every cell as a string (type ``s``, never a formula or an error value, even
for text starting with ``=``), in openpyxl's write-only mode.

Import (read-only mode) reads, in this order of preference:

1. the ``Document`` sheet: the framework document itself, so an exported workbook imports
   without losing anything. The workbook's other generated sheets must still hold what the
   document gives them: a cell edited after the export is an error (the edit would be
   lost), and deleting the Document sheet makes the edited sheets importable;
2. else the long sheet (named ``Long``, or the first sheet whose header has ``level_order``
   and ``expectation``): the long CSV's columns and rules, errors located as ``Long!H12``;
3. else the matrix sheets (see ``xlsx_matrix``).

A cell holding a formula (or an error value) is refused, never evaluated.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from copy import copy
from typing import Any

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from roles.document import Document, document_sha256, validate_document, with_defaults
from roles.formats import FormatError, ImportFailed
from roles.formats.long_csv import (
    COLUMNS,
    MAX_ERRORS,
    LongRow,
    check_header,
    document_from_long_rows,
)
from roles.formats.xlsx_matrix import document_from_matrices, is_matrix
from roles.formats.xlsx_read import (
    WORKBOOK,
    cell_ref,
    header,
    open_workbook,
    read_sheet,
    unreadable,
)
from roles.formats.xlsx_sheets import (
    CHUNK,
    DOCUMENT,
    LONG,
    SHA_PREFIX,
    cell_text,
    workbook_sheets,
)

_HEADER_FONT = Font(bold=True)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


# --- export -----------------------------------------------------------------------------


def write_xlsx(document: Document) -> bytes:
    workbook = Workbook(write_only=True)
    for sheet in workbook_sheets(document):
        ws = workbook.create_sheet(sheet.name)
        for index, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        if sheet.freeze:
            ws.freeze_panes = "A2"
        body = _style(ws, _WRAP_TOP) if sheet.wrap else None
        if sheet.header:
            head = _style(ws, _WRAP_TOP, _HEADER_FONT)
            ws.append(_cells(ws, [cell_text(v) for v in sheet.header], head))
        for row in sheet.rows:
            ws.append(_cells(ws, [cell_text(value) for value in row], body))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _style(ws: Any, alignment: Alignment, font: Font | None = None) -> StyleArray:
    """The style of a cell with these settings, registered once in the workbook."""
    cell = WriteOnlyCell(ws)
    cell.alignment = alignment
    if font is not None:
        cell.font = font
    return cell._style


def _cells(ws: Any, values: list[str], style: StyleArray | None) -> list[Any]:
    """The row to append: every value a text cell (type ``s``), styled as given."""
    row: list[Any] = []
    for value in values:
        if not value:
            row.append(None)
        elif style is None and value[0] != "=" and value not in ERROR_CODES:
            row.append(value)  # openpyxl makes this a text cell itself (and faster)
        else:
            cell = WriteOnlyCell(ws)
            # Text, whatever it starts with: never a formula or #N/A. Set directly, as
            # openpyxl's value setter would make "=..." a formula (cell_text made it XML-safe).
            cell._value, cell.data_type = value, "s"
            if style is not None:
                # Copying the style array is openpyxl's idiom for one style on many cells;
                # setting cell.alignment looks the style up again for every cell.
                cell._style = copy(style)
            row.append(cell)
    return row


# --- import -----------------------------------------------------------------------------


def parse_xlsx(data: bytes) -> Document:
    """Parse a workbook into a validated document, or raise ImportFailed."""
    workbook = open_workbook(data)
    try:
        sheets = {ws.title: ws for ws in workbook.worksheets}
        if DOCUMENT in sheets:
            return _from_document_sheet(sheets)
        headers = {title: header(ws) for title, ws in sheets.items()}
        long = [t for t, names in headers.items() if {"level_order", "expectation"} <= set(names)]
        if LONG in sheets or long:
            return _from_long_sheet(sheets[LONG if LONG in sheets else long[0]])
        matrices = [sheets[t] for t, names in headers.items() if is_matrix(names)]
        if matrices:
            return document_from_matrices(matrices)
        raise ImportFailed(
            [
                FormatError(
                    None,
                    gettext("workbook"),
                    gettext(
                        "nothing to import: expected a 'Document' sheet (as exported), a long "
                        "sheet (header %(columns)s) or matrix sheets (a 'Competency' column "
                        "and one column per level)"
                    )
                    % {"columns": ",".join(COLUMNS)},
                    WORKBOOK,
                )
            ]
        )
    except ImportFailed:
        raise
    except Exception as exc:  # a damaged sheet fails while it is read, not when opened
        raise unreadable(exc) from None
    finally:
        workbook.close()


def _from_document_sheet(sheets: dict[str, Any]) -> Document:
    rows, errors = read_sheet(sheets[DOCUMENT])
    if errors:
        raise ImportFailed(errors)
    sha = rows[1][0] if len(rows) > 1 and rows[1] else ""
    if not sha.startswith(SHA_PREFIX):
        expected = gettext("expected %(prefix)s<hex> (the sheet is not as exported)")
        raise ImportFailed([_document_error(2, expected % {"prefix": SHA_PREFIX})])
    text = "".join(row[0] if row else "" for row in rows[2:])
    try:
        document = with_defaults(json.loads(text))
    except json.JSONDecodeError as exc:
        row = 3 + exc.pos // CHUNK
        invalid = gettext("invalid JSON: %(reason)s") % {"reason": exc.msg}
        raise ImportFailed([_document_error(row, invalid)]) from None
    problems = validate_document(document)
    if problems:
        whole = gettext("document")
        raise ImportFailed(
            [FormatError(None, p.path or whole, p.message, DOCUMENT) for p in problems]
        )
    if document_sha256(document) != sha.removeprefix(SHA_PREFIX):
        edited = gettext("the document does not match its SHA-256: the sheet was edited")
        raise ImportFailed([_document_error(2, edited)])
    changed = list(_changed_cells(document, sheets))
    if changed:
        raise ImportFailed(
            changed[:MAX_ERRORS]
            + [
                FormatError(
                    None,
                    gettext("workbook"),
                    gettext(
                        "%(count)s row(s) changed since the export, but the Document sheet "
                        "holds the framework and would overwrite them: delete the Document "
                        "sheet to import the long sheet (or, without one, the matrix sheets) "
                        "instead"
                    )
                    % {"count": len(changed)},
                    DOCUMENT,
                )
            ]
        )
    return document


def _document_error(row: int, message: str) -> FormatError:
    return FormatError(row, gettext("document"), message, cell_ref(DOCUMENT, row, 1))


def _changed_cells(document: Document, sheets: dict[str, Any]) -> Iterator[FormatError]:
    """The first changed cell of each row of the generated sheets still in the workbook."""
    for sheet in workbook_sheets(document):
        if sheet.name == DOCUMENT or sheet.name not in sheets:
            continue
        expected = [[cell_text(v) for v in row] for row in [sheet.header, *sheet.rows]]
        found, errors = read_sheet(sheets[sheet.name])
        yield from errors
        for number in range(1, max(len(expected), len(found)) + 1):
            want = _trimmed(expected[number - 1] if number <= len(expected) else [])
            got = found[number - 1] if number <= len(found) else []
            if want == got:
                continue
            column = next(
                i for i in range(max(len(want), len(got)) + 1) if _at(want, i) != _at(got, i)
            )
            name = sheet.header[column] if column < len(sheet.header) else gettext("cell")
            yield FormatError(
                number,
                name.split("\n")[0],
                gettext("differs from the Document sheet (changed since the export)"),
                cell_ref(sheet.name, number, column + 1),
            )


def _trimmed(values: list[str]) -> list[str]:
    values = list(values)
    while values and not values[-1]:
        values.pop()
    return values


def _at(values: list[str], index: int) -> str:
    return values[index] if index < len(values) else ""


def _from_long_sheet(ws: Any) -> Document:
    rows, errors = read_sheet(ws)
    names = [value.strip() for value in rows[0]] if rows else []
    columns = {name: i for i, name in enumerate(names, start=1)}

    def locate(error: FormatError) -> FormatError:
        if error.line is None or error.cell is not None:
            return error
        column = columns.get(error.column)
        return FormatError(
            error.line, error.column, error.message, cell_ref(ws.title, error.line, column)
        )

    if errors:
        raise ImportFailed(errors)
    header_errors = check_header(names)
    if header_errors:
        raise ImportFailed([locate(e) for e in header_errors])
    records: list[LongRow] = []
    for number, values in enumerate(rows[1:], start=2):
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(names):
            errors.append(
                FormatError(
                    number,
                    gettext("cell"),
                    gettext("a value outside the header's columns"),
                    cell_ref(ws.title, number, len(names) + 1),
                )
            )
            continue
        padded = [v.strip() for v in values] + [""] * (len(names) - len(values))
        records.append(LongRow(number, dict(zip(names, padded, strict=True))))
        if len(errors) >= MAX_ERRORS:
            break
    if not records and not errors:
        empty = gettext("the sheet has a header but no statements")
        errors.append(FormatError(2, gettext("sheet"), empty))
    try:
        return document_from_long_rows(records, errors)
    except ImportFailed as failed:
        raise ImportFailed([locate(e) for e in failed.errors]) from None
