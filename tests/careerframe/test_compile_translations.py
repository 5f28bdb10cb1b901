"""manage.py compile_translations: msgfmt when installed, polib otherwise (make messages)."""

from __future__ import annotations

import gettext
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command

from careerframe.management.commands import compile_translations

PO = """\
msgid ""
msgstr ""
"Language: nl\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Settings"
msgstr "Instellingen"

#, fuzzy
msgid "Log in"
msgstr "Aanmelden"

msgid "Log out"
msgstr ""

msgid "%(count)s person"
msgid_plural "%(count)s people"
msgstr[0] "%(count)s persoon"
msgstr[1] "%(count)s personen"
"""


@pytest.fixture
def locale_dir(tmp_path, settings) -> Path:
    """A project whose only catalogue is ``PO``, in Dutch."""
    messages = tmp_path / "locale" / "nl" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(PO, encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    return messages


def _catalogue(messages: Path) -> gettext.GNUTranslations:
    with open(messages / "django.mo", "rb") as compiled:
        return gettext.GNUTranslations(compiled)


def _assert_compiled_like_msgfmt(messages: Path) -> None:
    dutch = _catalogue(messages)
    assert dutch.gettext("Settings") == "Instellingen"
    assert dutch.gettext("Log in") == "Log in"  # fuzzy: left out
    assert dutch.gettext("Log out") == "Log out"  # untranslated: left out
    assert dutch.ngettext("%(count)s person", "%(count)s people", 1) == "%(count)s persoon"
    assert dutch.ngettext("%(count)s person", "%(count)s people", 3) == "%(count)s personen"


def test_polib_compiles_without_gettext(locale_dir, monkeypatch):
    monkeypatch.delenv("CAREERFRAME_REQUIRE_GETTEXT", raising=False)
    monkeypatch.setattr(compile_translations.shutil, "which", lambda name: None)
    call_command("compile_translations", verbosity=0)
    _assert_compiled_like_msgfmt(locale_dir)


def test_polib_can_be_asked_for(locale_dir):
    call_command("compile_translations", use_polib=True, verbosity=0)
    _assert_compiled_like_msgfmt(locale_dir)


def test_msgfmt_compiles_when_installed(locale_dir):
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext's msgfmt is not installed; the polib tests cover the fallback")
    call_command("compile_translations", verbosity=0)
    _assert_compiled_like_msgfmt(locale_dir)


def test_gettext_can_be_required(locale_dir, monkeypatch):
    monkeypatch.setenv("CAREERFRAME_REQUIRE_GETTEXT", "1")
    monkeypatch.setattr(compile_translations.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="msgfmt not found"):
        call_command("compile_translations", verbosity=0)
    assert not (locale_dir / "django.mo").exists()


def test_a_broken_catalogue_is_a_clear_error(locale_dir):
    (locale_dir / "django.po").write_text("this is not a catalogue\n")
    with pytest.raises(CommandError, match="django.po"):
        call_command("compile_translations", use_polib=True, verbosity=0)


def test_the_ignored_folders_hold_no_interface_text():
    """makemessages skips these; the app folders and templates stay in."""
    from careerframe.management.commands.makemessages import IGNORE_PATTERNS

    for kept in ("templates", "accounts", "careerframe", "ladders", "reviews", "roles", "sso"):
        assert kept not in IGNORE_PATTERNS
    assert {"node_modules", "static", "tests", "bench"} <= set(IGNORE_PATTERNS)


def test_polib_reads_what_it_wrote(locale_dir):
    call_command("compile_translations", use_polib=True, verbosity=0)
    compiled = polib.mofile(str(locale_dir / "django.mo"))
    assert {entry.msgid for entry in compiled} >= {"Settings", "%(count)s person"}
