"""Quality checks on a framework document (pure, no database).

They point at things an editor probably wants to look at and block nothing: a position
without promotion criteria, a competency missing at one level of a ladder, a statement
copied word for word to the next level or twice into one position, an empty or very long
statement, and vague wording. ``check_document`` runs them all; ``statement_issues`` is the
per-statement part, used to mark statements inline.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roles.document import Document

DEFAULT_VAGUE_WORDS = (
    "good",
    "strong",
    "as needed",
    "etc",
    "appropriate",
    "various",
    "effectively",
)
DEFAULT_MAX_LENGTH = 500

# Kinds in the order the panel lists them, with the panel's heading for each.
KINDS: dict[str, str] = {
    "missing-criteria": _("Positions without promotion criteria"),
    "missing-statement": _("Competencies missing at a level"),
    "repeated-statement": _("Statements repeated at the next level"),
    "duplicate-statement": _("Statements written twice in one position"),
    "empty-statement": _("Empty statements"),
    "long-statement": _("Very long statements"),
    "vague-wording": _("Vague wording"),
}


@dataclass(frozen=True)
class Target:
    """Where an issue is fixed: a role's matrix or a position's editor, at an element id."""

    page: Literal["role-matrix", "position-detail"]
    key: str  # the role key or the position key
    fragment: str  # the HTML id of the element on that page


@dataclass(frozen=True)
class QualityIssue:
    kind: str  # one of KINDS
    message: str
    anchor: str  # element path, e.g. "expectations:<key>" or "positions:<key>"
    target: Target


def normalise(text: str) -> str:
    """What "word for word" compares: the words, ignoring case and spacing."""
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=32)
def _vague_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    phrases = sorted({" ".join(w.split()) for w in words if w.strip()}, key=len, reverse=True)
    if not phrases:
        return None
    # Whole words only, whatever the surrounding punctuation ("etc." matches "etc").
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def vague_words_in(text: str, vague_words: Sequence[str]) -> list[str]:
    """The vague words and phrases ``text`` uses, lowercased, in order of first use."""
    pattern = _vague_pattern(tuple(vague_words))
    if pattern is None:
        return []
    found: dict[str, None] = {}
    for match in pattern.finditer(text):
        found.setdefault(" ".join(match.group(0).split()).lower())
    return list(found)


def statement_issues(
    text: str, *, vague_words: Sequence[str], max_length: int
) -> list[tuple[str, str]]:
    """Problems of one statement on its own, as ``(kind, short description)``."""
    if not text.strip():
        return [("empty-statement", gettext("empty"))]
    problems = []
    if max_length and len(text) > max_length:
        too_long = gettext("%(length)s characters (limit %(limit)s)")
        problems.append(("long-statement", too_long % {"length": len(text), "limit": max_length}))
    vague = vague_words_in(text, vague_words)
    if vague:
        words = ", ".join(f"“{w}”" for w in vague)
        problems.append(("vague-wording", gettext("vague: %(words)s") % {"words": words}))
    return problems


def _excerpt(text: str, length: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def check_document(
    document: Document, *, vague_words: Sequence[str], max_length: int
) -> list[QualityIssue]:
    """Every quality issue of ``document``, grouped by kind in the order of ``KINDS``."""
    index = _Index(document)
    issues = [
        *_missing_criteria(index),
        *_missing_statements(index),
        *_repeated_statements(index),
        *_duplicate_statements(index),
        *_statement_problems(index, vague_words, max_length),
    ]
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(issues, key=lambda issue: order[issue.kind])  # stable within a kind


class _Index:
    """Lookups over one document, built once."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.roles = {r["key"]: r for r in doc["roles"]}
        self.levels = {lv["key"]: lv for lv in doc["levels"]}
        self.competencies = {c["key"]: c for c in doc["competencies"]}
        self.positions = {p["key"]: p for p in doc["positions"]}
        self.by_position: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for exp in doc["expectations"]:
            if exp["position"] in self.positions and exp["competency"] in self.competencies:
                self.by_position[exp["position"]].append(exp)
        self.role_positions: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for pos in doc["positions"]:
            if pos["level"] in self.levels:
                self.role_positions[pos["role"]].append(pos)

    def where(self, position_key: str) -> str:
        pos = self.positions[position_key]
        role = self.roles.get(pos["role"], {}).get("name", pos["role"])
        # Translators: a position in a quality issue, e.g. "Senior Designer (Design)".
        return gettext("%(title)s (%(role)s)") % {"title": pos["title"], "role": role}

    def rank(self, position: dict[str, Any]) -> int:
        return self.levels[position["level"]]["rank"]

    def track(self, position: dict[str, Any]) -> str | None:
        return self.levels[position["level"]]["track"]

    def statement_target(self, exp: dict[str, Any]) -> Target:
        return Target("role-matrix", self.positions[exp["position"]]["role"], f"exp-{exp['key']}")

    def consecutive_pairs(self) -> Iterable[tuple[str, str]]:
        """(lower, higher) positions one step apart on a ladder: the promotion steps within a
        role; for a role without any, neighbouring ranks on the same track."""
        pairs: list[tuple[str, str]] = []
        stepped_roles = set()
        for step in self.doc["path_steps"]:
            source, target = self.positions.get(step["from"]), self.positions.get(step["to"])
            if step["kind"] != "promotion" or source is None or target is None:
                continue
            if source["role"] == target["role"] and source["level"] in self.levels:
                pairs.append((source["key"], target["key"]))
                stepped_roles.add(source["role"])
        for role, positions in self.role_positions.items():
            if role in stepped_roles:
                continue
            by_track: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
            for pos in positions:
                by_track[self.track(pos)].append(pos)
            for ladder in by_track.values():
                ladder.sort(key=self.rank)
                pairs.extend((a["key"], b["key"]) for a, b in zip(ladder, ladder[1:], strict=False))
        return pairs


def _missing_criteria(index: _Index) -> Iterable[QualityIssue]:
    """Positions nobody can be promoted to on evidence, except each ladder's entry position
    (the lowest rank of a role on a track, with no promotion step leading to it)."""
    with_criteria = {c["position"] for c in index.doc["criteria"]}
    promoted_to = {s["to"] for s in index.doc["path_steps"] if s["kind"] == "promotion"}
    lowest: dict[tuple[str, str | None], int] = {}
    for role, positions in index.role_positions.items():
        for pos in positions:
            scope = (role, index.track(pos))
            lowest[scope] = min(lowest.get(scope, index.rank(pos)), index.rank(pos))
    for pos in index.doc["positions"]:
        if pos["key"] in with_criteria or pos["level"] not in index.levels:
            continue
        is_lowest = index.rank(pos) == lowest[(pos["role"], index.track(pos))]
        if is_lowest and pos["key"] not in promoted_to:
            continue
        yield QualityIssue(
            "missing-criteria",
            gettext("%(position)s has no promotion criteria.")
            % {"position": index.where(pos["key"])},
            f"positions:{pos['key']}",
            Target("position-detail", pos["key"], "criteria"),
        )


def _missing_statements(index: _Index) -> Iterable[QualityIssue]:
    """A competency a role uses at some level but not at another of its levels."""
    used_at: dict[str, set[str]] = defaultdict(set)
    for pos_key, statements in index.by_position.items():
        for exp in statements:
            used_at[pos_key].add(exp["competency"])
    for role, positions in index.role_positions.items():
        used = set().union(*(used_at[p["key"]] for p in positions))
        ordered = [c["key"] for c in index.doc["competencies"] if c["key"] in used]
        for pos in sorted(positions, key=lambda p: (index.rank(p), p["key"])):
            for comp in ordered:
                if comp in used_at[pos["key"]]:
                    continue
                yield QualityIssue(
                    "missing-statement",
                    gettext("%(competency)s has no statement for %(position)s.")
                    % {
                        "competency": index.competencies[comp]["name"],
                        "position": index.where(pos["key"]),
                    },
                    f"positions:{pos['key']}/competencies:{comp}",
                    Target("role-matrix", role, f"cell-{pos['key']}--{comp}"),
                )


def _repeated_statements(index: _Index) -> Iterable[QualityIssue]:
    for lower, higher in index.consecutive_pairs():
        below = {(e["competency"], normalise(e["text"])) for e in index.by_position[lower]}
        for exp in index.by_position[higher]:
            if exp["text"].strip() and (exp["competency"], normalise(exp["text"])) in below:
                yield QualityIssue(
                    "repeated-statement",
                    gettext(
                        "%(position)s, %(competency)s: “%(excerpt)s” repeats %(lower)s "
                        "word for word."
                    )
                    % {
                        "position": index.where(higher),
                        "competency": index.competencies[exp["competency"]]["name"],
                        "excerpt": _excerpt(exp["text"]),
                        "lower": index.positions[lower]["title"],
                    },
                    f"expectations:{exp['key']}",
                    index.statement_target(exp),
                )


def _duplicate_statements(index: _Index) -> Iterable[QualityIssue]:
    """The same text twice in one position (statements for two different sub-roles are
    written for different people, so they may repeat each other)."""
    for pos_key, statements in index.by_position.items():
        seen: dict[str, list[str | None]] = defaultdict(list)
        for exp in statements:
            text = normalise(exp["text"])
            if not text:
                continue
            earlier = seen[text]
            if any(s is None or exp["sub_role"] is None or s == exp["sub_role"] for s in earlier):
                yield QualityIssue(
                    "duplicate-statement",
                    gettext("%(position)s: “%(excerpt)s” is written twice.")
                    % {"position": index.where(pos_key), "excerpt": _excerpt(exp["text"])},
                    f"expectations:{exp['key']}",
                    index.statement_target(exp),
                )
            earlier.append(exp["sub_role"])


def _statement_problems(
    index: _Index, vague_words: Sequence[str], max_length: int
) -> Iterable[QualityIssue]:
    for exp in index.doc["expectations"]:
        if exp["position"] not in index.positions:
            continue
        for kind, description in statement_issues(
            exp["text"], vague_words=vague_words, max_length=max_length
        ):
            comp = index.competencies.get(exp["competency"], {}).get("name", exp["competency"])
            values = {
                "position": index.where(exp["position"]),
                "competency": comp,
                "excerpt": _excerpt(exp["text"]),
                "problem": description,
            }
            if kind == "empty-statement":
                message = gettext("%(position)s, %(competency)s: — %(problem)s.")
            else:
                message = gettext("%(position)s, %(competency)s: “%(excerpt)s” — %(problem)s.")
            yield QualityIssue(
                kind,
                message % values,
                f"expectations:{exp['key']}",
                index.statement_target(exp),
            )


@dataclass(frozen=True)
class IssueGroup:
    kind: str
    title: str
    issues: list[QualityIssue]


def group_issues(issues: Iterable[QualityIssue]) -> list[IssueGroup]:
    """Issues per kind, in the order of ``KINDS``; kinds without issues are left out."""
    by_kind: dict[str, list[QualityIssue]] = defaultdict(list)
    for issue in issues:
        by_kind[issue.kind].append(issue)
    return [
        IssueGroup(kind, title, by_kind[kind]) for kind, title in KINDS.items() if by_kind[kind]
    ]
