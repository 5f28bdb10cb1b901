"""What an XLSX export holds, sheet by sheet, as plain values (pure, no openpyxl).

The writer lays these out; the reader builds them again from the workbook's Document sheet
to find cells edited after the export (see ``xlsx.parse_xlsx``).

Sheets, in order: ``Long`` (the long CSV's columns and rows), one matrix sheet per role,
``Roles``, ``Sub-roles``, ``Levels``, ``Positions``, ``Promotion criteria`` and ``Document``
(the whole framework document as canonical JSON, so that nothing is lost on import).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from roles.document import Document, document_sha256
from roles.formats.long_csv import COLUMNS, long_rows
from roles.formats.outline import RoleOutline, outline

LONG, DOCUMENT = "Long", "Document"
ROLES, SUB_ROLES, LEVELS, POSITIONS, CRITERIA = (
    "Roles",
    "Sub-roles",
    "Levels",
    "Positions",
    "Promotion criteria",
)
FIXED_SHEETS = (LONG, ROLES, SUB_ROLES, LEVELS, POSITIONS, CRITERIA, DOCUMENT)
CATEGORY, COMPETENCY, SUB_ROLE = "Category", "Competency", "Sub-role"
BULLET = "• "

SHEET_NAME_MAX = 31  # Excel's limit, in UTF-16 code units
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
CELL_MAX = 32767  # Excel's limit on a cell's text, in UTF-16 code units
CHUNK = 32000  # characters of the document's (ASCII) JSON per cell of the Document sheet
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LINE_BREAK = re.compile(r"\r\n|\r")
DOCUMENT_NOTE = (
    "Do not edit this sheet. It holds the whole framework (careerframe.framework/1 as "
    "canonical JSON, column A from row 3) so that importing this workbook loses nothing. "
    "Importing refuses a workbook whose other sheets were changed since the export: to "
    "import changes made in the Long sheet or the matrix sheets, delete this sheet first."
)
SHA_PREFIX = "sha256:"


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: Iterable[list[str]]
    widths: list[float]
    wrap: bool = True  # wrapped, top-aligned cells (else plain ones: the data sheets)
    freeze: bool = True  # the header row stays on screen


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def cell_text(value: str) -> str:
    """A value as a worksheet can hold it: XML-legal characters, ``\\n`` line breaks, at
    most CELL_MAX units (the Document sheet keeps the exact text)."""
    text = _LINE_BREAK.sub("\n", _XML_ILLEGAL.sub("\ufffd", value))
    if len(text) * 2 <= CELL_MAX or _units(text) <= CELL_MAX:
        return text
    cut = text.encode("utf-16-le")[: (CELL_MAX - 1) * 2].decode("utf-16-le", errors="ignore")
    return cut + "…"


def sheet_names(document: Document) -> list[str]:
    """One valid, unique sheet name per role (document order): Excel's forbidden characters
    replaced, at most 31 units, distinct from each other and from the fixed sheets
    (case-insensitively, as Excel compares them)."""
    taken = {name.casefold() for name in FIXED_SHEETS} | {"history"}  # Excel reserves it
    names = []
    for role in document["roles"]:
        base = _SHEET_NAME_BAD.sub("-", " ".join(role["name"].split())).strip("'") or "Role"
        name, n = _fit(base, ""), 1
        while name.casefold() in taken:
            n += 1
            name = _fit(base, f" ({n})")
        taken.add(name.casefold())
        names.append(name)
    return names


def _fit(base: str, suffix: str) -> str:
    while _units(base + suffix) > SHEET_NAME_MAX:
        base = base[:-1]
    return (base.rstrip().rstrip("'") or "Role") + suffix


def level_header(level: dict, track: dict | None) -> str:
    """A matrix column's header: the level's name, then ``(Track)`` on a second line."""
    return f"{level['name']}\n({track['name']})" if track else level["name"]


def bullets(texts: list[str]) -> str:
    return "\n".join(BULLET + text for text in texts)


def matrix_sheet(name: str, role: RoleOutline) -> Sheet:
    """Competencies as rows (grouped by category), the role's levels as columns in ladder
    order, the statements of each cell as bullets. With sub-roles, a ``Sub-role`` column
    and a row per competency and sub-role that has statements."""
    has_subs = bool(role.sub_roles)
    header = [CATEGORY, COMPETENCY, *([SUB_ROLE] if has_subs else [])]
    header += [level_header(p.level, p.track) for p in role.positions]
    keys = [p.position["key"] for p in role.positions]

    def rows() -> Iterator[list[str]]:
        for comp in role.competencies:
            cells = [role.cell(key, comp["key"]) for key in keys]
            lead = [comp["category"], comp["name"], *([""] if has_subs else [])]
            if any(c.general for c in cells) or not any(cells):
                yield lead + [bullets(c.general) for c in cells]
            for sub in role.sub_roles:
                texts = [{s["key"]: t for s, t in c.by_sub_role} for c in cells]
                if any(sub["key"] in t for t in texts):
                    yield [comp["category"], comp["name"], sub["name"]] + [
                        bullets(t.get(sub["key"], [])) for t in texts
                    ]

    widths = [18, 28, *([16] if has_subs else [])] + [48] * len(keys)
    return Sheet(name, header, rows(), widths)


def document_rows(document: Document) -> list[list[str]]:
    """The note, the document's SHA-256, then its JSON in chunks. The JSON is ASCII
    (``\\uXXXX`` escapes): any character fits a cell, and a chunk's length is exact."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return [
        [DOCUMENT_NOTE],
        [SHA_PREFIX + document_sha256(document)],
        *([text[i : i + CHUNK]] for i in range(0, len(text), CHUNK)),
    ]


def workbook_sheets(document: Document) -> list[Sheet]:
    roles = {r["key"]: r["name"] for r in document["roles"]}
    levels = {lv["key"]: lv for lv in document["levels"]}
    tracks = {t["key"]: t["name"] for t in document["tracks"]}
    positions = {p["key"]: p for p in document["positions"]}
    outlines = outline(document)
    # The long sheet is data, as in the CSV: plain cells (a statement on one line).
    long = Sheet(LONG, list(COLUMNS), long_rows(document), [16, 24, 16, 24, 11, 20, 28, 90], False)
    sheets = [long]
    sheets += [
        matrix_sheet(name, role) for name, role in zip(sheet_names(document), outlines, strict=True)
    ]
    sub_roles = {r: [s["name"] for s in o.sub_roles] for r, o in zip(roles, outlines, strict=True)}
    counts = {o.role["key"]: str(len(o.positions)) for o in outlines}
    sheets.append(
        Sheet(
            ROLES,
            ["Role", "Description", "Sub-roles", "Positions"],
            (
                [r["name"], r["description"], ", ".join(sub_roles[r["key"]]), counts[r["key"]]]
                for r in document["roles"]
            ),
            [28, 60, 30, 10],
        )
    )
    sheets.append(
        Sheet(
            SUB_ROLES,
            ["Role", "Sub-role", "Description"],
            ([roles[s["role"]], s["name"], s["description"]] for s in document["sub_roles"]),
            [28, 28, 60],
        )
    )
    sheets.append(
        Sheet(
            LEVELS,
            ["Level", "Code", "Track", "Rank", "Role", "Summary"],
            (
                [
                    lv["name"],
                    lv["code"],
                    tracks[lv["track"]] if lv["track"] else "",
                    str(lv["rank"]),
                    roles[lv["role"]] if lv["role"] else "(all roles)",
                    lv["summary"],
                ]
                for lv in document["levels"]
            ),
            [28, 10, 20, 8, 28, 60],
        )
    )
    sheets.append(
        Sheet(
            POSITIONS,
            ["Role", "Position", "Level", "Track", "Summary"],
            (
                [
                    roles[p["role"]],
                    p["title"],
                    levels[p["level"]]["name"],
                    tracks.get(levels[p["level"]]["track"] or "", ""),
                    p["summary"],
                ]
                for p in document["positions"]
            ),
            [28, 32, 28, 20, 60],
        )
    )
    sheets.append(
        Sheet(
            CRITERIA,
            ["Role", "Position", "Criterion", "Required", "Evidence hint"],
            (
                [
                    roles[positions[c["position"]]["role"]],
                    positions[c["position"]]["title"],
                    c["text"],
                    "yes" if c["required"] else "no",
                    c["evidence_hint"],
                ]
                for c in document["criteria"]
            ),
            [28, 32, 60, 10, 40],
        )
    )
    sheets.append(Sheet(DOCUMENT, [], document_rows(document), [120], wrap=False, freeze=False))
    return sheets
