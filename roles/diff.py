"""What changed between two framework documents (pure, no database).

Elements are matched by ``key`` within each kind. An element is ``added`` (key only in the
new document), ``removed`` (only in the old), ``changed`` (a field differs) or ``moved``
(same fields, but its place among its siblings changed). A changed element whose place
also changed has status ``changed`` and ``moved=True``.

Siblings are the statements of one (position, competency) cell for expectations, the
criteria of one position, and the whole list for every other kind. Moves are found with a
longest common subsequence of the sibling keys, so inserting or removing one element does
not move the ones after it. An element that changed cell (its position or competency
changed) is ``changed`` and not also ``moved``.

Only order within sibling groups counts: interleaving whole cells differently in the
expectations list gives no entries, although the documents' hashes differ.

Documents must be valid (keys unique per kind); fields missing from an element count as
None.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from roles.document import KINDS, SCHEMA_PATH, Document
from roles.textdiff import WordOp, word_ops

DIFF_FORMAT = "careerframe.diff/1"
STATUSES = ("added", "removed", "changed", "moved")
TEXT_FIELDS = frozenset(
    {"text", "name", "title", "summary", "description", "evidence_hint", "note"}
)

Element = dict[str, Any]

_SIBLINGS: dict[str, Callable[[Element], Hashable]] = {
    "expectations": lambda e: (e.get("position"), e.get("competency")),
    "criteria": lambda e: e.get("position"),
}
_MISSING = object()


def anchor_for(kind: str, key: str) -> str:
    """The anchor of an element, ``<kind>:<key>``, e.g. ``expectations:design.l3.craft.2``."""
    return f"{kind}:{key}"


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any
    words: tuple[WordOp, ...] | None = None  # for text fields only

    def to_json(self) -> dict[str, Any]:
        words = None if self.words is None else [list(op) for op in self.words]
        return {"field": self.field, "old": self.old, "new": self.new, "words": words}


@dataclass(frozen=True)
class ElementDiff:
    kind: str
    key: str
    status: str  # one of STATUSES
    old: Element | None
    new: Element | None
    fields: tuple[FieldChange, ...] = ()
    moved: bool = False

    @property
    def anchor(self) -> str:
        return anchor_for(self.kind, self.key)

    def to_json(self) -> dict[str, Any]:
        return {
            "anchor": self.anchor,
            "kind": self.kind,
            "key": self.key,
            "status": self.status,
            "moved": self.moved,
            "fields": [change.to_json() for change in self.fields],
            "old": self.old,
            "new": self.new,
        }


@dataclass(frozen=True)
class DocumentDiff:
    """Entries grouped by kind in ``KINDS`` order; within a kind, in the new document's
    order, each removed element right after the element that preceded it in the old
    document (first in its kind when nothing did)."""

    entries: tuple[ElementDiff, ...]

    @property
    def is_empty(self) -> bool:
        return not self.entries

    @cached_property
    def index(self) -> dict[str, ElementDiff]:
        """Entries by anchor; an element absent from it is unchanged (or never existed)."""
        return {entry.anchor: entry for entry in self.entries}

    @cached_property
    def by_kind(self) -> dict[str, list[ElementDiff]]:
        """Every kind, in ``KINDS`` order, with its entries (maybe none)."""
        grouped: dict[str, list[ElementDiff]] = {kind: [] for kind in KINDS}
        for entry in self.entries:
            grouped[entry.kind].append(entry)
        return grouped

    @cached_property
    def counts(self) -> dict[str, dict[str, int]]:
        """Entries per kind and status, zeros included. A changed and moved element counts
        as changed only."""
        counts = {kind: dict.fromkeys(STATUSES, 0) for kind in KINDS}
        for entry in self.entries:
            counts[entry.kind][entry.status] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict with the entries in the order described above."""
        return {
            "format": DIFF_FORMAT,
            "is_empty": self.is_empty,
            "summary": self.counts,
            "entries": [entry.to_json() for entry in self.entries],
        }


def element_status(diff: DocumentDiff, anchor: str) -> str | None:
    """``added``, ``removed``, ``changed`` or ``moved``; None when the element is unchanged."""
    entry = diff.index.get(anchor)
    return entry.status if entry else None


def diff_documents(old: Document, new: Document) -> DocumentDiff:
    """What changed from ``old`` to ``new``. Linear in the documents' size apart from the
    word diffs, which are computed for changed text fields only."""
    entries: list[ElementDiff] = []
    for kind in KINDS:
        entries.extend(_diff_kind(kind, old.get(kind, []), new.get(kind, [])))
    return DocumentDiff(tuple(entries))


def _diff_kind(kind: str, old_items: list[Element], new_items: list[Element]) -> list[ElementDiff]:
    old_by_key = {item["key"]: item for item in old_items}
    new_keys = {item["key"] for item in new_items}
    moved = _moved_keys(kind, old_items, new_items)

    removed_after: dict[str | None, list[ElementDiff]] = defaultdict(list)
    previous: str | None = None
    for item in old_items:
        if item["key"] in new_keys:
            previous = item["key"]
        else:
            removed_after[previous].append(ElementDiff(kind, item["key"], "removed", item, None))

    out = removed_after.pop(None, [])
    for item in new_items:
        key = item["key"]
        before = old_by_key.get(key)
        if before is None:
            out.append(ElementDiff(kind, key, "added", None, item))
        else:
            fields = _field_changes(kind, before, item) if before != item else ()
            if fields or key in moved:
                status = "changed" if fields else "moved"
                out.append(ElementDiff(kind, key, status, before, item, fields, key in moved))
        out.extend(removed_after.pop(key, ()))
    return out


def _moved_keys(kind: str, old_items: list[Element], new_items: list[Element]) -> set[str]:
    siblings = _SIBLINGS.get(kind, lambda _element: None)
    new_group = {item["key"]: siblings(item) for item in new_items}
    old_rank = {
        item["key"]: i
        for i, item in enumerate(old_items)
        if new_group.get(item["key"], _MISSING) == siblings(item)
    }
    groups: dict[Hashable, list[str]] = defaultdict(list)
    for item in new_items:
        if item["key"] in old_rank:
            groups[siblings(item)].append(item["key"])
    moved: set[str] = set()
    for keys in groups.values():
        moved.update(_outside_lcs(keys, old_rank))
    return moved


def _outside_lcs(keys: list[str], old_rank: dict[str, int]) -> list[str]:
    """``keys`` (new order) not on a longest run kept in the same relative order as in the
    old document. Both sides hold the same keys, so the longest common subsequence is the
    longest increasing subsequence of old positions: O(n log n) by patience sorting."""
    tail_ranks: list[int] = []  # smallest old rank ending an increasing run of each length
    tails: list[int] = []  # index into keys of that element
    previous = [-1] * len(keys)
    for i, key in enumerate(keys):
        rank = old_rank[key]
        length = bisect_left(tail_ranks, rank)
        if length:
            previous[i] = tails[length - 1]
        if length == len(tails):
            tail_ranks.append(rank)
            tails.append(i)
        else:
            tail_ranks[length] = rank
            tails[length] = i
    kept: set[int] = set()
    i = tails[-1] if tails else -1
    while i >= 0:
        kept.add(i)
        i = previous[i]
    return [key for i, key in enumerate(keys) if i not in kept]


def _field_changes(kind: str, old: Element, new: Element) -> tuple[FieldChange, ...]:
    changes = []
    for name in _field_names(kind, old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        words = None
        if name in TEXT_FIELDS and isinstance(before, str) and isinstance(after, str):
            words = tuple(word_ops(before, after))
        changes.append(FieldChange(name, before, after, words))
    return tuple(changes)


def _field_names(kind: str, present: Iterable[str]) -> list[str]:
    """Fields in the schema's order (whatever order the dicts have), unknown ones last."""
    order = _schema_fields(kind)
    fields = set(present) - {"key"}
    return [f for f in order if f in fields] + sorted(fields - set(order))


@cache
def _schema_fields(kind: str) -> tuple[str, ...]:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return tuple(schema["properties"][kind]["items"]["required"])
