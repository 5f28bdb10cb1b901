"""Content Security Policy: no inline script or style anywhere, and the header on every page.

The policy (settings.CONTENT_SECURITY_POLICY) allows scripts and styles from this site only.
An inline <script>, a style="" attribute or an on…="" handler in a template would be refused
by the browser, so the templates are checked here; the browser tests also fail on any CSP
violation reported in the console.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Emails are read in mail clients, where no CSP applies and inline styles are the norm; the
# PDF template is read by WeasyPrint on the server, never served to a browser.
EXEMPT = {"notifications/email", "roles/export/pdf.html"}
INLINE = {
    "inline <script>": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
    ),
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "style attribute": re.compile(r"\sstyle=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+=[\"']", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def _templates() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if not any(str(path.relative_to(TEMPLATES)).startswith(e) for e in EXEMPT)
    ]


def test_no_template_has_inline_script_or_style():
    found = [
        f"{path.relative_to(TEMPLATES)}:{text[: m.start()].count(chr(10)) + 1}: {what}"
        for path in _templates()
        for text in [path.read_text()]
        for what, pattern in INLINE.items()
        for m in pattern.finditer(text)
    ]
    assert found == []


@pytest.mark.parametrize("path", ["/", "/login/", "/api/v1/docs/"])
def test_pages_send_a_strict_policy(client, db, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";")) if part
    )
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_api_docs_script_is_served_from_this_site(client, db):
    page = client.get("/api/v1/docs/").content.decode()
    (script,) = re.findall(r'<script src="([^"]*\?[^"]*script[^"]*)"', page)
    response = client.get(script.replace("&amp;", "&"))
    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()
