"""Importing a workbook of matrix sheets (and nothing else): competencies x levels.

Rules (also in README.md):

- Every sheet whose header row (row 1) has a ``Competency`` cell is one role, named by the
  sheet. ``Category`` and ``Sub-role`` header cells are optional (case does not matter);
  every other non-empty header cell is a level: its first line is the level's name, and a
  second line in parentheses, ``(Individual Contributor)``, names its track.
- A level's rank is its column's place among the sheet's columns of the same track: the
  leftmost is 1. Columns go from junior (left) to senior (right).
- Each row below is a competency of a category; with a sub-role, its statements apply to
  that sub-role only. A cell's statements are its lines starting with ``•``; a line
  without one continues the statement above it; a cell without any ``•`` is one statement
  (so a Markdown list written with ``-`` stays one statement).
- Statements are read level by level (column by column), then the long CSV's rules apply:
  shared levels, forks, promotion steps; position titles are the level names. Errors name
  the cell: ``Design!D7`` for a statement, the header cell for a level.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext

from roles.document import Document
from roles.formats import FormatError, ImportFailed
from roles.formats.long_csv import LongRow, document_from_long_rows
from roles.formats.xlsx_read import WORKBOOK, cell_ref, read_sheet, sheet_ref
from roles.formats.xlsx_sheets import BULLET, CATEGORY, COMPETENCY, SUB_ROLE

_FIXED = {CATEGORY.casefold(): "category", COMPETENCY.casefold(): "competency"}
_FIXED[SUB_ROLE.casefold()] = "sub_role"
Where = dict[int, dict[str, tuple[int | None, str]]]  # record line -> column -> (row, ref)


def is_matrix(header: list[str]) -> bool:
    return any(name.casefold() == COMPETENCY.casefold() for name in header)


def document_from_matrices(sheets: list[Any]) -> Document:
    records: list[LongRow] = []
    where: Where = {}
    errors: list[FormatError] = []
    for ws in sheets:
        rows, cell_errors = read_sheet(ws)
        errors.extend(cell_errors)
        _read_matrix(ws.title, rows, records, where, errors)
    if not records and not errors:
        empty = gettext("the matrix sheets hold no statements")
        errors.append(FormatError(None, gettext("workbook"), empty, WORKBOOK))
    try:
        return document_from_long_rows(records, errors)
    except ImportFailed as failed:
        raise ImportFailed([_locate(error, where) for error in failed.errors]) from None


def _locate(error: FormatError, where: Where) -> FormatError:
    if error.cell is not None or error.line not in where:
        return error
    row, ref = where[error.line].get(error.column, (None, WORKBOOK))
    return FormatError(row, error.column, error.message, ref)


def level_of(header: str) -> tuple[str, str]:
    """(level name, track name) from a level column's header."""
    lines = [line.strip() for line in header.split("\n") if line.strip()]
    if len(lines) == 2 and lines[1].startswith("(") and lines[1].endswith(")"):
        return lines[0], lines[1][1:-1].strip()
    return " ".join(lines), ""


def statements_of(cell: str) -> list[str]:
    found: list[str] = []
    for line in cell.split("\n"):
        if line.lstrip().startswith(BULLET.strip()):
            found.append(line.lstrip()[1:])
        elif found:
            found[-1] += "\n" + line
        else:
            found.append(line)
    return [text.strip() for text in found if text.strip()]


def _read_matrix(
    title: str, rows: list[list[str]], records: list[LongRow], where: Where, errors: list
) -> None:
    header = rows[0] if rows else []
    fixed: dict[str, int] = {}
    levels: list[tuple[int, str, str, int]] = []  # column, level, track, rank
    seen: dict[tuple[str, str], int] = {}
    per_track: Counter[str] = Counter()
    for column, raw in enumerate(header, start=1):
        role = _FIXED.get(raw.strip().casefold())
        if role is not None and role not in fixed:
            fixed[role] = column
            continue
        if not raw.strip():
            continue
        level, track = level_of(raw)
        if (level, track) in seen:
            other = cell_ref(title, 1, seen[(level, track)]).split("!")[1]
            twice = gettext("level %(level)s appears twice (also %(other)s)")
            errors.append(
                FormatError(
                    1,
                    "level",
                    twice % {"level": repr(level), "other": other},
                    cell_ref(title, 1, column),
                )
            )
            continue
        seen[(level, track)] = column
        per_track[track] += 1
        levels.append((column, level, track, per_track[track]))
    headed = set(fixed.values()) | {column for column, *_ in levels}

    def at(values: list[str], column: int | None) -> str:
        return values[column - 1].strip() if column and column <= len(values) else ""

    for number, values in enumerate(rows[1:], start=2):
        for column, value in enumerate(values, start=1):
            if value.strip() and column not in headed:
                errors.append(
                    FormatError(
                        number,
                        gettext("cell"),
                        gettext("a value in a column without a level name in row 1"),
                        cell_ref(title, number, column),
                    )
                )
    for column, level, track, rank in levels:
        level_ref = (1, cell_ref(title, 1, column))
        for number, values in enumerate(rows[1:], start=2):
            for text in statements_of(values[column - 1] if column <= len(values) else ""):
                line = len(records) + 1
                records.append(
                    LongRow(
                        line,
                        {
                            "track": track,
                            "role": title,
                            "sub_role": at(values, fixed.get("sub_role")),
                            "level": level,
                            "level_order": str(rank),
                            "category": at(values, fixed.get("category")),
                            "competency": at(values, fixed.get("competency")),
                            "expectation": text,
                        },
                    )
                )

                where[line] = {
                    "expectation": (number, cell_ref(title, number, column)),
                    "level": level_ref,
                    "level_order": level_ref,
                    "track": level_ref,
                    "role": (None, sheet_ref(title)),
                    **{
                        name: (number, cell_ref(title, number, fixed.get(name)))
                        for name in ("category", "competency", "sub_role")
                    },
                }
