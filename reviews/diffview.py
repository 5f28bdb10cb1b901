"""A document diff shaped for the page: labelled entries with side-by-side and inline HTML.

Pure: takes two documents, returns plain objects for the template (no queries).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.outline import KIND_LABELS, KIND_PLURALS, DocumentIndex
from roles.diff import DocumentDiff, ElementDiff, diff_documents
from roles.document import KINDS, Document
from roles.textdiff import ops_html

# Every field of the framework document (the schema's); an unknown one is labelled by its name.
FIELD_LABELS = {
    "text": "",
    "title": _("Title"),
    "name": _("Name"),
    "summary": _("Summary"),
    "category": _("Category"),
    "code": _("Code"),
    "competency": _("Competency"),
    "description": _("Description"),
    "evidence_hint": _("Evidence hint"),
    "forks_from": _("Forks from"),
    "from": _("From"),
    "kind": _("Kind"),
    "level": _("Level"),
    "note": _("Note"),
    "position": _("Position"),
    "rank": _("Rank"),
    "required": _("Required"),
    "role": _("Role"),
    "sub_role": _("Sub role"),
    "to": _("To"),
    "track": _("Track"),
}


@dataclass
class FieldView:
    name: str
    label: str
    old_html: SafeString
    new_html: SafeString
    inline_html: SafeString


@dataclass
class EntryView:
    anchor: str
    kind: str
    kind_label: str
    status: str
    moved: bool
    context: str
    title: str
    fields: list[FieldView] = field(default_factory=list)


@dataclass
class DiffView:
    diff: DocumentDiff
    sections: list[tuple[str, list[EntryView]]]

    @property
    def total(self) -> int:
        return len(self.diff.entries)

    @property
    def summary(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "changed": 0, "moved": 0}
        for per_kind in self.diff.counts.values():
            for status, n in per_kind.items():
                out[status] += n
        return out


def _side(ops, keep: str) -> SafeString:
    tag = "del" if keep == "delete" else "ins"
    parts = []
    for op, text in ops:
        if op == "equal":
            parts.append(escape(text))
        elif op == keep:
            parts.append(f'<{tag} class="cf-word">{escape(text)}</{tag}>')
    return mark_safe("".join(parts))  # noqa: S308  # every piece is escaped  # nosec B308, B703


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


def _entry_view(entry: ElementDiff, index: DocumentIndex) -> EntryView:
    element = entry.new if entry.new is not None else entry.old
    view = EntryView(
        anchor=entry.anchor,
        kind=entry.kind,
        kind_label=KIND_LABELS[entry.kind],
        status=entry.status,
        moved=entry.moved,
        context=index.context(entry.kind, element),
        title=index.title(entry.kind, element),
    )
    for change in entry.fields:
        label = FIELD_LABELS.get(change.field, change.field.replace("_", " ").capitalize())
        if change.words is not None:
            view.fields.append(
                FieldView(
                    change.field,
                    label,
                    _side(change.words, "delete"),
                    _side(change.words, "insert"),
                    ops_html(change.words),
                )
            )
        else:
            old, new = escape(_value(change.old)), escape(_value(change.new))
            view.fields.append(
                FieldView(
                    change.field,
                    label,
                    old,
                    new,
                    mark_safe(f'<del class="cf-word">{old}</del> <ins class="cf-word">{new}</ins>'),  # noqa: S308  # old and new are escaped above  # nosec B308, B703
                )
            )
    return view


def build_diff_view(old: Document, new: Document) -> DiffView:
    diff = diff_documents(old, new)
    index = DocumentIndex(old, new)
    sections = []
    for kind in KINDS:
        entries = [_entry_view(e, index) for e in diff.by_kind[kind]]
        if entries:
            sections.append((KIND_PLURALS[kind], entries))
    return DiffView(diff=diff, sections=sections)
