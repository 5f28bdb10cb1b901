"""Import and export formats for framework documents (pure functions, no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FormatError:
    """One problem in an input file. ``line`` is 1-based; ``column`` names the field.

    Spreadsheets also give ``cell``, a reference such as ``Long!H12`` or ``'Sheet 1'!3:3``
    (a whole row); ``line`` is then the sheet's row number.
    """

    line: int | None
    column: str
    message: str
    cell: str | None = None

    def render(self, source: str) -> str:
        """``PATH:LINE: column: message`` (``PATH: Sheet!C12: column: message`` for a
        spreadsheet), the form the commands and the UI print."""
        if self.cell is not None:
            return f"{source}: {self.cell}: {self.column}: {self.message}"
        where = f"{source}:{self.line}" if self.line is not None else source
        return f"{where}: {self.column}: {self.message}"


class ImportFailed(Exception):
    """The input cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, errors: list[FormatError]):
        super().__init__(f"{len(errors)} problem(s) in the input")
        self.errors = errors


@dataclass(frozen=True)
class ExportInfo:
    """What the printable exports (Markdown, PDF) say about the document they print."""

    framework: str  # the framework's name
    version: str  # "v3", or "draft"
    published_at: datetime | None = None
    scope: str = ""  # e.g. "Role: Design"; empty for the whole framework

    @property
    def published(self) -> str:
        """``31 January 2025``, or ``not published (draft)``."""
        when = self.published_at
        return f"{when.day} {when:%B %Y}" if when else "not published (draft)"
