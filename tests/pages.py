"""Reading rendered pages in tests: the CSRF tokens each response embeds afresh."""

from __future__ import annotations

import re

# The token in the htmx headers and in each form; group 1 is what precedes it, group 2 the token.
CSRF_TOKEN = re.compile(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")([^"]+)"')


def csrf_tokens(response) -> set[str]:
    return {token for _, token in CSRF_TOKEN.findall(response.content.decode())}


def without_csrf_tokens(response) -> str:
    """The page with its CSRF tokens masked (each response masks the secret afresh), so two
    responses can be compared."""
    return CSRF_TOKEN.sub(r"\1…", response.content.decode())
