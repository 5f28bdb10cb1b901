"""Import and export formats for framework documents (pure functions, no database)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormatError:
    """One problem in an input file. ``line`` is 1-based; ``column`` names the field."""

    line: int | None
    column: str
    message: str

    def render(self, source: str) -> str:
        """``PATH:LINE: column: message``, the form the commands and the UI print."""
        where = f"{source}:{self.line}" if self.line is not None else source
        return f"{where}: {self.column}: {self.message}"


class ImportFailed(Exception):
    """The input cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, errors: list[FormatError]):
        super().__init__(f"{len(errors)} problem(s) in the input")
        self.errors = errors
