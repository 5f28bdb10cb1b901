"""Word-level text diff (pure, no database).

Text is split into runs of non-space and runs of whitespace, so joining the ``equal`` and
``delete`` pieces of ``word_ops`` gives the old text back and joining the ``equal`` and
``insert`` pieces gives the new text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\S+|\s+")

WordOp = tuple[str, str]  # (op, text), op is "equal" | "insert" | "delete"


def word_ops(old: str, new: str) -> list[WordOp]:
    """The edit from ``old`` to ``new``; a replaced run is a ``delete`` then an ``insert``."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    ops: list[WordOp] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            ops.append(("equal", "".join(b[j1:j2])))
            continue
        if op in ("replace", "delete"):
            ops.append(("delete", "".join(a[i1:i2])))
        if op in ("replace", "insert"):
            ops.append(("insert", "".join(b[j1:j2])))
    return ops


def ops_html(ops: Iterable[WordOp]) -> SafeString:
    """The new text as escaped HTML, inserted words in <ins> and removed ones in <del>.

    Whitespace-only changes are not highlighted: a removed run of spaces is left out and an
    inserted one is written plainly.
    """
    out: list[str] = []
    for op, text in ops:
        if op == "equal":
            out.append(escape(text))
        elif not text.strip():
            if op == "insert":
                out.append(escape(text))
        elif op == "delete":
            out.append(f'<del class="cf-word">{escape(text)}</del>')
        else:
            out.append(f'<ins class="cf-word">{escape(text)}</ins>')
    return mark_safe("".join(out))  # noqa: S308  # every piece is escaped  # nosec B308, B703


def word_diff_html(old: str, new: str) -> SafeString:
    return ops_html(word_ops(old, new))


def similarity(a: str, b: str) -> float:
    """Character-level likeness from 0.0 (nothing shared) to 1.0 (equal)."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
