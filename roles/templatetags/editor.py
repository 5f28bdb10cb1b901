"""Template helpers of the draft editor."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.conf import settings
from django.db import models
from django.urls import reverse

from roles import editing
from roles.quality import QualityIssue, statement_issues

register = template.Library()


@register.filter
def fingerprint(element: models.Model) -> str:
    """The element's fingerprint, sent back with an edit or delete (optimistic locking)."""
    return editing.fingerprint(element)


@register.filter
def statement_problems(text: str) -> list[tuple[str, str]]:
    """A statement's own quality problems, ``(kind, description)``, to mark it inline."""
    return statement_issues(
        text,
        vague_words=settings.CAREERFRAME_VAGUE_WORDS,
        max_length=settings.CAREERFRAME_MAX_STATEMENT_LENGTH,
    )


@register.simple_tag
def issue_url(issue: QualityIssue, slug: str) -> str:
    """Where an issue is fixed: the role's matrix or the position's editor, at the element."""
    target = issue.target
    url = reverse(f"roles:{target.page}", kwargs={"slug": slug, "key": target.key})
    return f"{url}#{target.fragment}"


@register.simple_tag
def hx_vals(**values: Any) -> str:
    """JSON for an ``hx-vals`` attribute (autoescaping makes it safe inside the quotes)."""
    return json.dumps({k: "" if v is None else str(v) for k, v in values.items()})
