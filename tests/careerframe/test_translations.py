"""The shipped Dutch catalogue: complete, up to date with the source, and compiled.

``test_dutch_catalogue_is_complete`` fails while any string lacks its Dutch: that is the
point (every marked string ships translated). The up-to-date check runs Django's makemessages
on a copy of the source, so it needs gettext's xgettext; without it the check is skipped,
unless CAREERFRAME_REQUIRE_GETTEXT=1 (CI sets it), which makes a missing gettext a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

from careerframe.management.commands.makemessages import IGNORE_PATTERNS

REPO = Path(__file__).resolve().parents[2]
DUTCH_PO = REPO / "locale" / "nl" / "LC_MESSAGES" / "django.po"
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _describe(entries: list[polib.POEntry]) -> str:
    return "\n".join(
        f"  {entry.msgid!r}" + (f" ({entry.occurrences[0][0]})" if entry.occurrences else "")
        for entry in entries
    )


@pytest.fixture(scope="module")
def dutch() -> polib.POFile:
    assert DUTCH_PO.is_file(), f"{DUTCH_PO} is missing (make makemessages)"
    return polib.pofile(str(DUTCH_PO))


def test_dutch_catalogue_is_complete(dutch):
    untranslated = dutch.untranslated_entries()
    fuzzy = [entry for entry in dutch.fuzzy_entries() if not entry.obsolete]
    assert not dutch.metadata_is_fuzzy, "the catalogue's header is marked fuzzy"
    assert not untranslated, (
        f"{len(untranslated)} strings have no Dutch in {DUTCH_PO.relative_to(REPO)}:\n"
        + _describe(untranslated)
    )
    assert not fuzzy, f"{len(fuzzy)} Dutch translations are marked fuzzy:\n" + _describe(fuzzy)


def test_dutch_catalogue_declares_its_language_and_plurals(dutch):
    assert dutch.metadata["Language"] == "nl"
    assert dutch.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert dutch.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def _gettext_or_skip() -> None:
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"gettext not installed ({', '.join(missing)}): apt-get install gettext"
        if os.environ.get("CAREERFRAME_REQUIRE_GETTEXT") == "1":
            pytest.fail(message)
        pytest.skip(message)


def test_dutch_catalogue_has_every_marked_string_of_the_source(dutch, tmp_path):
    """makemessages on a copy of the source (the repository's locale/ is left alone), into an
    empty catalogue: every string it finds must be in the shipped one."""
    _gettext_or_skip()
    copy = tmp_path / "src"
    shutil.copytree(
        REPO,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "__pycache__", "*.sqlite3*", "locale", "screenshots", *IGNORE_PATTERNS
        ),
    )
    (copy / "locale").mkdir()
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "nl", "--verbosity", "0"],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    found = polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    shipped = {_key(entry) for entry in dutch if not entry.obsolete}
    missing = [entry for entry in found if _key(entry) not in shipped]
    assert len(found) > 0
    assert not missing, (
        f"{len(missing)} marked strings are not in {DUTCH_PO.relative_to(REPO)} "
        "(run `make makemessages`, translate them, `make messages`):\n" + _describe(missing)
    )


def test_the_compiled_catalogue_is_used(dutch):
    compiled = DUTCH_PO.with_suffix(".mo")
    assert compiled.is_file(), f"{compiled} is missing: run `make messages`"
    assert compiled.stat().st_mtime >= DUTCH_PO.stat().st_mtime, (
        f"{compiled} is older than its .po: run `make messages`"
    )
    with translation.override("nl"):
        assert translation.gettext("Your settings") == "Je instellingen"
        assert translation.gettext("Settings") == "Instellingen"
    with translation.override("en-gb"):
        assert translation.gettext("Your settings") == "Your settings"
