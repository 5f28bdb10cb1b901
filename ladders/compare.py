"""What changes between two positions' statements (pure, no database).

Used by the compare page: for one competency, each statement at the higher position is
``same`` (word for word at the lower one), ``changed`` (a close match, shown with word-level
highlights) or ``new``; statements only at the lower position are ``dropped``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from roles.textdiff import similarity
from roles.textdiff import word_diff_html as word_diff

SIMILAR = 0.6


@dataclass
class Statement:
    text: str
    status: str  # same | changed | new | dropped
    diff_html: SafeString | None = None


@dataclass
class CompetencyComparison:
    key: str
    name: str
    category: str
    lower: list[Statement] = field(default_factory=list)
    higher: list[Statement] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(s.status != "same" for s in self.higher) or any(
            s.status == "dropped" for s in self.lower
        )


def compare_statements(
    lower: list[str], higher: list[str]
) -> tuple[list[Statement], list[Statement]]:
    """Classify statements of one competency at a lower and a higher position."""
    unmatched = dict(enumerate(lower))  # lower statements not yet paired with a higher one
    low_status = ["dropped"] * len(lower)
    high_out: list[Statement] = []
    for text in higher:
        exact = next((i for i, old in unmatched.items() if old == text), None)
        if exact is not None:
            del unmatched[exact]
            low_status[exact] = "same"
            high_out.append(Statement(text, "same"))
            continue
        best, score = None, 0.0
        for i, old in unmatched.items():
            ratio = similarity(old, text)
            if ratio > score:
                best, score = i, ratio
        if best is not None and score >= SIMILAR:
            low_status[best] = "changed"
            high_out.append(Statement(text, "changed", word_diff(unmatched.pop(best), text)))
        else:
            high_out.append(Statement(text, "new"))
    low_out = [Statement(text, status) for text, status in zip(lower, low_status, strict=True)]
    return low_out, high_out
