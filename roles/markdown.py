"""Statements are Markdown; rendered HTML is sanitised before it reaches a page."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown as md
import nh3
from django.utils.html import escape

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h4",
    "h5",
    "h6",
    "hr",
    "del",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=16384)
def render_markdown(text: str) -> str:
    """Markdown to safe HTML: no scripts, event handlers, styles or javascript: URLs."""
    html = md.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def highlight_words(safe_html: str, query: str) -> str:
    """Mark each word of ``query`` in the text parts of ``safe_html`` (tags are left alone)."""
    words = sorted(
        {w.strip('"').lower() for w in query.split() if len(w.strip('"')) > 1},
        key=len,
        reverse=True,
    )
    if not words:
        return safe_html
    pattern = re.compile("|".join(re.escape(escape(w)) for w in words), re.IGNORECASE)
    parts = re.split(r"(<[^>]*>)", safe_html)
    return "".join(
        part if part.startswith("<") else pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", part)
        for part in parts
    )
