"""Markdown export: a framework's role definitions as one file for a wiki (export only).

``# Framework v3``, ``## Role``, ``### Position title (code)``, ``#### Category /
Competency`` with the statements as bullets, then the position's promotion criteria and
where it leads. Statements and criteria are Markdown already and are written unchanged
(continuation lines indented under their bullet); names are plain text and are escaped.
"""

from __future__ import annotations

import re

from roles.document import Document
from roles.formats import ExportInfo
from roles.formats.outline import STEP_LABELS, PositionOutline, RoleOutline, outline

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def plain(name: str) -> str:
    """A name as Markdown text: one line, Markdown's special characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(name.split()))


def bullet(text: str) -> str:
    """A Markdown text as one list item, its later lines indented four spaces under the
    bullet: nested lists and paragraphs stay inside the item for CommonMark and for
    Python-Markdown (the app's renderer) alike."""
    first, *rest = _LINE_BREAK.split(text)
    return "\n".join(["- " + first, *("    " + line if line.strip() else "" for line in rest)])


def bullets(items: list[str]) -> str:
    """A list; a blank line between items when one spans lines, so none runs into the next."""
    separator = "\n\n" if any(_LINE_BREAK.search(item) for item in items) else "\n"
    return separator.join(items)


def write_markdown(document: Document, info: ExportInfo) -> str:
    blocks = [
        f"# {plain(info.framework)} {info.version}",
        f"Published: {info.published}" + (f"  \n{plain(info.scope)}" if info.scope else ""),
    ]
    for role in outline(document):
        blocks.extend(_role(role))
    return "\n\n".join(blocks) + "\n"


def _role(role: RoleOutline) -> list[str]:
    blocks = [f"## {plain(role.role['name'])}"]
    if role.role["description"]:
        blocks.append(role.role["description"])
    if role.sub_roles:
        blocks.append("Specialisms:")
        blocks.append(
            "\n".join(
                f"- **{plain(s['name'])}**"
                + (f": {plain(s['description'])}" if s["description"] else "")
                for s in role.sub_roles
            )
        )
    for position in role.positions:
        blocks.extend(_position(position))
    return blocks


def _position(pos: PositionOutline) -> list[str]:
    code = f" ({plain(pos.level['code'])})" if pos.level["code"] else ""
    blocks = [f"### {plain(pos.position['title'])}{code}"]
    where = f"Level: {plain(pos.level['name'])}"
    if pos.track:
        where += f" · Track: {plain(pos.track['name'])}"
    blocks.append(f"*{where}*")
    for summary in (pos.position["summary"], pos.level["summary"]):
        if summary:
            blocks.append(summary)
    for category in pos.categories:
        for item in category.competencies:
            name = plain(item.competency["name"])
            heading = f"{plain(category.name)} / {name}" if category.name else name
            blocks.append(f"#### {heading}")
            if item.cell.general:
                blocks.append(bullets([bullet(text) for text in item.cell.general]))
            for sub_role, texts in item.cell.by_sub_role:
                blocks.append(f"*{plain(sub_role['name'])} only:*")
                blocks.append(bullets([bullet(text) for text in texts]))
    if pos.criteria:
        blocks.append("#### Promotion criteria")
        blocks.append(bullets([_criterion(c) for c in pos.criteria]))
    if pos.steps:
        blocks.append("#### Next steps")
        blocks.append(
            "\n".join(
                f"- {STEP_LABELS[step['kind']]} {plain(target['title'])}"
                + (f" ({plain(step['note'])})" if step["note"] else "")
                for step, target in pos.steps
            )
        )
    return blocks


def _criterion(criterion: dict) -> str:
    notes = [] if criterion["required"] else ["optional"]
    if criterion["evidence_hint"]:
        notes.append(f"evidence: {plain(criterion['evidence_hint'])}")
    if not notes:
        return bullet(criterion["text"])
    note = f"*({'; '.join(notes)})*"
    # After a one-line criterion on the same line; after a longer one, as its own paragraph
    # (appending to its last line could land inside a code block or a nested list).
    if _LINE_BREAK.search(criterion["text"]):
        return f"{bullet(criterion['text'])}\n\n    {note}"
    return f"{bullet(criterion['text'])} {note}"
