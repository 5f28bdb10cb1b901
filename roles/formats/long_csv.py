"""The long CSV layout: one row per statement (DESIGN.md section 7).

``track,role,sub_role,level,level_order,category,competency,expectation``. Import builds
a framework document; export writes the document's expectations in document order, so a
file imported and exported again gives the same rows in the same order.

Formula injection: a cell a spreadsheet would run as a formula is written with a leading
``'`` (see ``neutralise``), and the importer removes it again (``restore``).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from roles.document import FORMAT, Document, validate_document
from roles.formats import FormatError, ImportFailed
from roles.keys import KeyAllocator, key_part
from roles.paths import infer_forks, infer_path_steps

COLUMNS = (
    "track",
    "role",
    "sub_role",
    "level",
    "level_order",
    "category",
    "competency",
    "expectation",
)
REQUIRED_VALUES = ("role", "level", "level_order", "competency", "expectation")
# Names become model fields of at most 200 characters (and the schema's "name" maximum).
NAME_COLUMNS = ("track", "role", "sub_role", "level", "category", "competency")
NAME_MAX_LENGTH = 200
MAX_ERRORS = 200

# A cell starting with one of = + - @ TAB CR is run as a formula by spreadsheet programs
# (OWASP "CSV injection"). Such cells are written with a leading ' (text to a spreadsheet).
# So that the rule is a bijection, a value that already starts with quotes followed by one
# of those characters gets one more quote: export adds exactly one quote to every value
# matching ^'*[trigger], import removes exactly one from every value matching ^'+[trigger].
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def neutralise(value: str) -> str:
    """The value as written to a CSV cell: ``=1+1`` -> ``'=1+1``, ``'=x`` -> ``''=x``."""
    return "'" + value if _FORMULA_START.match(value) else value


def restore(value: str) -> str:
    """The inverse of ``neutralise``: ``'- item`` -> ``- item``; other values unchanged."""
    return value[1:] if value[:1] == "'" and _FORMULA_START.match(value) else value


@dataclass
class LongRow:
    """One statement row; ``line`` locates it (a CSV line, a spreadsheet row)."""

    line: int
    values: dict[str, str]
    rank: int = 0


@dataclass
class _Builder:
    """Turns validated rows into a document, keys allocated in order of first appearance."""

    rows: list[LongRow]
    doc: Document = field(default_factory=lambda: {"format": FORMAT})

    def build(self) -> Document:
        rows = self.rows
        track_keys = self._simple(
            "tracks", (r.values["track"] for r in rows if r.values["track"]), self._track
        )
        role_keys = self._simple("roles", (r.values["role"] for r in rows), self._role)
        sub_role_keys = self._sub_roles(role_keys)
        level_keys = self._levels(track_keys, role_keys)
        comp_keys = self._competencies()
        position_keys = self._positions(role_keys, level_keys)

        per_cell: dict[tuple[str, str], int] = defaultdict(int)
        expectations = []
        for r in rows:
            v = r.values
            pos = position_keys[(v["role"], v["track"], v["level"])]
            comp = comp_keys[(v["category"], v["competency"])]
            per_cell[(pos, comp)] += 1
            expectations.append(
                {
                    "key": f"{pos}.{comp}.{per_cell[(pos, comp)]}",
                    "position": pos,
                    "sub_role": sub_role_keys.get((v["role"], v["sub_role"])),
                    "competency": comp,
                    "text": v["expectation"],
                }
            )
        self.doc["expectations"] = expectations
        self.doc["criteria"] = []
        infer_forks(self.doc)
        self.doc["path_steps"] = infer_path_steps(self.doc)
        return self.doc

    def _simple(self, kind: str, names, make) -> dict[str, str]:
        keys: dict[str, str] = {}
        alloc = KeyAllocator()
        items = []
        for name in names:
            if name not in keys:
                keys[name] = alloc.allocate(key_part(name))
                items.append(make(keys[name], name))
        self.doc[kind] = items
        return keys

    @staticmethod
    def _track(key: str, name: str) -> dict[str, Any]:
        return {"key": key, "name": name, "forks_from": None}

    @staticmethod
    def _role(key: str, name: str) -> dict[str, Any]:
        return {"key": key, "name": name, "description": ""}

    def _sub_roles(self, role_keys: dict[str, str]) -> dict[tuple[str, str], str]:
        keys: dict[tuple[str, str], str] = {}
        items = []
        for r in self.rows:
            ident = (r.values["role"], r.values["sub_role"])
            if ident[1] and ident not in keys:
                role = role_keys[ident[0]]
                keys[ident] = f"{role}.{key_part(ident[1])}"
                items.append(
                    {"key": keys[ident], "role": role, "name": ident[1], "description": ""}
                )
        self.doc["sub_roles"] = items
        return keys

    def _levels(
        self, track_keys: dict[str, str], role_keys: dict[str, str]
    ) -> dict[tuple[str, str, str], str]:
        """Levels with the same name, track and rank in several roles are shared by them.

        Returns a map (role, track, level name) -> level key.
        """
        users: dict[tuple[str, str, int], list[str]] = {}
        for r in self.rows:
            ident = (r.values["track"], r.values["level"], r.rank)
            roles = users.setdefault(ident, [])
            if r.values["role"] not in roles:
                roles.append(r.values["role"])
        # Two shared levels may not hold the same rank of one track: such levels are split
        # into one level per role instead.
        shared_at: dict[tuple[str, int], int] = defaultdict(int)
        for (track, _name, rank), roles in users.items():
            if len(roles) > 1:
                shared_at[(track, rank)] += 1
        alloc = KeyAllocator()
        keys: dict[tuple[str, str, str], str] = {}
        items = []
        for (track, name, rank), roles in users.items():
            shared = len(roles) > 1 and shared_at[(track, rank)] == 1
            owners: list[str | None] = [None] if shared else list(roles)
            for owner in owners:
                key = alloc.allocate(key_part(name))
                items.append(
                    {
                        "key": key,
                        "track": track_keys.get(track),
                        "role": role_keys[owner] if owner else None,
                        "code": "",
                        "name": name,
                        "rank": rank,
                        "summary": "",
                    }
                )
                for role in roles if shared else [owner]:
                    keys[(role, track, name)] = key
        self.doc["levels"] = items
        return keys

    def _competencies(self) -> dict[tuple[str, str], str]:
        alloc = KeyAllocator()
        keys: dict[tuple[str, str], str] = {}
        items = []
        for r in self.rows:
            ident = (r.values["category"], r.values["competency"])
            if ident not in keys:
                keys[ident] = alloc.allocate(key_part(ident[1], "competency"))
                items.append(
                    {
                        "key": keys[ident],
                        "name": ident[1],
                        "category": ident[0],
                        "description": "",
                        "role": None,
                    }
                )
        self.doc["competencies"] = items
        return keys

    def _positions(
        self, role_keys: dict[str, str], level_keys: dict[tuple[str, str, str], str]
    ) -> dict[tuple[str, str, str], str]:
        keys: dict[tuple[str, str, str], str] = {}
        items = []
        for r in self.rows:
            ident = (r.values["role"], r.values["track"], r.values["level"])
            if ident not in keys:
                role, level = role_keys[ident[0]], level_keys[ident]
                keys[ident] = f"{role}.{level}"
                items.append(
                    {
                        "key": keys[ident],
                        "role": role,
                        "level": level,
                        "title": ident[2],
                        "summary": "",
                    }
                )
        self.doc["positions"] = items
        return keys


def _decode(data: bytes) -> tuple[str, list[FormatError]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        errors = []
        for lineno, raw in enumerate(data.splitlines(), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                errors.append(
                    FormatError(
                        lineno,
                        _column_of_bad_bytes(data, raw),
                        gettext("undecodable bytes (the file must be UTF-8)"),
                    )
                )
        message = gettext("undecodable bytes: %(reason)s") % {"reason": exc.reason}
        return "", errors or [FormatError(None, gettext("file"), message)]


def _column_of_bad_bytes(data: bytes, raw_line: bytes) -> str:
    header = data.splitlines()[0].decode("utf-8-sig", errors="replace")
    names = next(csv.reader([header]), [])
    fields = next(csv.reader([raw_line.decode("utf-8", errors="replace")]), [])
    for name, value in zip(names, fields, strict=False):
        if "\ufffd" in value:
            return name.strip()
    return gettext("line")


def parse_long_csv(data: bytes) -> Document:
    """Parse a long CSV file into a validated document, or raise ImportFailed."""
    if not data.strip(b"\xef\xbb\xbf \r\n\t"):
        raise ImportFailed([FormatError(1, gettext("file"), gettext("the file is empty"))])
    text, errors = _decode(data)
    if errors:
        raise ImportFailed(errors)

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        malformed = gettext("malformed CSV: %(reason)s") % {"reason": exc}
        raise ImportFailed([FormatError(1, gettext("header"), malformed)]) from None
    errors = check_header(header)
    if errors:
        raise ImportFailed(errors)

    rows: list[LongRow] = []
    line = reader.line_num + 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not record or all(not value.strip() for value in record):
                continue
            if len(record) != len(header):
                message = gettext("has %(found)s fields, the header has %(expected)s")
                errors.append(
                    FormatError(
                        start,
                        gettext("row"),
                        message % {"found": len(record), "expected": len(header)},
                    )
                )
                continue
            values = {
                name: restore(value.strip()) for name, value in zip(header, record, strict=True)
            }
            rows.append(LongRow(start, values))
            if len(errors) >= MAX_ERRORS:
                break
    except csv.Error as exc:
        malformed = gettext("malformed CSV: %(reason)s") % {"reason": exc}
        errors.append(FormatError(reader.line_num, gettext("row"), malformed))

    if not rows and not errors:
        empty = gettext("the file has a header but no statements")
        errors.append(FormatError(2, gettext("file"), empty))
    return document_from_long_rows(rows, errors)


def document_from_long_rows(rows: list[LongRow], errors: list[FormatError]) -> Document:
    """Check the rows (the same rules for every long layout) and build the document.

    ``errors`` are the problems already found in the file; all are raised together.
    """
    errors = errors + _check_rows(rows)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.line or 0))
    document = _Builder(rows).build()
    problems = validate_document(document)
    if problems:  # the row checks above should make this unreachable; never import bad data
        raise ImportFailed([FormatError(None, p.path, p.message) for p in problems])
    return document


def check_header(header: list[str]) -> list[FormatError]:
    errors = []
    for name in COLUMNS:
        if name not in header:
            errors.append(FormatError(1, name, gettext("missing column")))
    for name in header:
        if name not in COLUMNS:
            unknown = gettext("unknown column; expected %(columns)s")
            errors.append(
                FormatError(1, name or gettext("(blank)"), unknown % {"columns": ",".join(COLUMNS)})
            )
    for name in sorted({h for h in header if header.count(h) > 1 and h in COLUMNS}):
        errors.append(FormatError(1, name, gettext("column appears more than once")))
    return errors


def _check_rows(rows: list[LongRow]) -> list[FormatError]:
    errors: list[FormatError] = []
    # (role, track, level) -> (rank, line); (role, track, rank) -> (level, line)
    rank_of: dict[tuple[str, str, str], tuple[int, int]] = {}
    level_at: dict[tuple[str, str, int], tuple[str, int]] = {}
    for row in rows:
        v = row.values
        for name in REQUIRED_VALUES:
            if not v[name]:
                if name == "expectation":
                    what = gettext("empty statement")
                else:
                    what = gettext("must not be empty")
                errors.append(FormatError(row.line, name, what))
        for name in COLUMNS:
            if "\x00" in v[name]:
                errors.append(FormatError(row.line, name, gettext("contains a NUL character")))
        for name in NAME_COLUMNS:
            if len(v[name]) > NAME_MAX_LENGTH:
                longer = gettext("longer than %(limit)s characters (%(length)s)")
                errors.append(
                    FormatError(
                        row.line,
                        name,
                        longer % {"limit": NAME_MAX_LENGTH, "length": len(v[name])},
                    )
                )
        if not v["level_order"]:
            continue
        try:
            row.rank = int(v["level_order"])
        except ValueError:
            not_whole = gettext("%(value)s is not a whole number")
            errors.append(
                FormatError(row.line, "level_order", not_whole % {"value": repr(v["level_order"])})
            )
            continue
        if row.rank < 1:
            errors.append(FormatError(row.line, "level_order", gettext("must be 1 or more")))
            continue
        if not v["level"] or not v["role"]:
            continue
        ident = (v["role"], v["track"], v["level"])
        known = rank_of.setdefault(ident, (row.rank, row.line))
        if known[0] != row.rank:
            errors.append(
                FormatError(
                    row.line,
                    "level_order",
                    gettext(
                        "%(order)s conflicts with %(known)s given for level %(level)s "
                        "of %(role)s on line %(line)s"
                    )
                    % {
                        "order": row.rank,
                        "known": known[0],
                        "level": repr(v["level"]),
                        "role": repr(v["role"]),
                        "line": known[1],
                    },
                )
            )
            continue
        other = level_at.setdefault((v["role"], v["track"], row.rank), (v["level"], row.line))
        if other[0] != v["level"]:
            errors.append(
                FormatError(
                    row.line,
                    "level_order",
                    gettext(
                        "%(order)s is already the order of level %(level)s of %(role)s "
                        "(line %(line)s)"
                    )
                    % {
                        "order": row.rank,
                        "level": repr(other[0]),
                        "role": repr(v["role"]),
                        "line": other[1],
                    },
                )
            )
    return errors


def long_rows(document: Document) -> Iterator[list[str]]:
    """The values of each statement's row, in ``COLUMNS`` order and document order."""
    by_key = {kind: {i["key"]: i for i in document[kind]} for kind in document if kind != "format"}
    tracks, levels, roles = by_key["tracks"], by_key["levels"], by_key["roles"]
    for exp in document["expectations"]:
        pos = by_key["positions"][exp["position"]]
        level = levels[pos["level"]]
        comp = by_key["competencies"][exp["competency"]]
        sub = by_key["sub_roles"].get(exp["sub_role"]) if exp["sub_role"] else None
        yield [
            tracks[level["track"]]["name"] if level["track"] else "",
            roles[pos["role"]]["name"],
            sub["name"] if sub else "",
            level["name"],
            str(level["rank"]),
            comp["category"],
            comp["name"],
            exp["text"],
        ]


def write_long_csv(document: Document) -> str:
    """One row per expectation, in document order, ``\\n`` line ends, no BOM; cells that
    would run as formulas are neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([neutralise(value) for value in row] for row in long_rows(document))
    return out.getvalue()
