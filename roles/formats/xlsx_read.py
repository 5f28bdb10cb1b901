"""Reading workbooks with openpyxl (read-only mode): cells as text, formulas refused."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from roles.formats import FormatError, ImportFailed

MAX_UNCOMPRESSED = 256 * 2**20  # a workbook is a zip: refuse one that inflates past this
WORKBOOK = _("workbook")  # the location of problems with the file as a whole
_BARE_SHEET = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_LOOKS_LIKE_A_CELL = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*")


def sheet_ref(sheet: str) -> str:
    """The sheet's name as Excel writes it in a reference: ``Long``, ``'Sub-roles'``."""
    if _BARE_SHEET.fullmatch(sheet) and not _LOOKS_LIKE_A_CELL.fullmatch(sheet):
        return sheet
    return "'{}'".format(sheet.replace("'", "''"))


def cell_ref(sheet: str, row: int, column: int | None = None) -> str:
    """``Long!H12``, ``'Sub-roles'!B3``, or ``Long!12:12`` for a whole row."""
    if column is None:
        return f"{sheet_ref(sheet)}!{row}:{row}"
    return f"{sheet_ref(sheet)}!{get_column_letter(column)}{row}"


def unreadable(exc: Exception) -> ImportFailed:
    return ImportFailed(
        [
            FormatError(
                None,
                gettext("file"),
                gettext("not a readable XLSX workbook (%(error)s)")
                % {"error": f"{type(exc).__name__}: {exc}"},
                WORKBOOK,
            )
        ]
    )


def open_workbook(data: bytes) -> Any:
    """The workbook in read-only mode; ImportFailed for anything that is not one."""
    whole = gettext("file")
    if not data.strip():
        raise ImportFailed([FormatError(None, whole, gettext("the file is empty"), WORKBOOK)])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        message = gettext("not an XLSX workbook (not a zip archive)")
        raise ImportFailed([FormatError(None, whole, message, WORKBOOK)]) from None
    if inflated > MAX_UNCOMPRESSED:
        message = gettext("the workbook unpacks to %(size)s bytes, over the %(limit)s allowed") % {
            "size": inflated,
            "limit": MAX_UNCOMPRESSED,
        }
        raise ImportFailed([FormatError(None, whole, message, WORKBOOK)])
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; report them all
        raise unreadable(exc) from None


def text(value: Any) -> str:
    """A cell's value as the text a person typed: ``3.0`` -> ``3``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def read_sheet(ws: Any) -> tuple[list[list[str]], list[FormatError]]:
    """Each row's cells as text (trailing empty cells dropped; row N at index N-1), and an
    error for every formula or error-value cell: careerframe never evaluates a sheet."""
    rows: list[list[str]] = []
    errors: list[FormatError] = []
    ws.reset_dimensions()  # some writers record wrong dimensions: read to the real end
    for number, cells in enumerate(ws.iter_rows(), start=1):
        values = []
        for column, cell in enumerate(cells, start=1):
            if cell.data_type in ("f", "e"):
                if cell.data_type == "f":
                    message = gettext(
                        "holds a formula (%(value)s), which is never evaluated: "
                        "replace it with its value as text"
                    )
                else:
                    message = gettext(
                        "holds an error value (%(value)s), which is never evaluated: "
                        "replace it with its value as text"
                    )
                errors.append(
                    FormatError(
                        number,
                        gettext("cell"),
                        message % {"value": cell.value},
                        cell_ref(ws.title, number, column),
                    )
                )
            values.append(text(cell.value))
        while values and not values[-1]:
            values.pop()
        rows.append(values)
    return rows, errors


def header(ws: Any) -> list[str]:
    """Row 1, stripped."""
    for row in ws.iter_rows(min_row=1, max_row=1, values_only=True):
        return [text(value).strip() for value in row]
    return []
