"""Compile the project's translations (locale/*/LC_MESSAGES/*.po) into the .mo files Django
reads: with gettext's msgfmt when it is installed (Django's compilemessages, which also checks
the placeholders), otherwise with polib. ``make messages`` runs it.

CAREERFRAME_REQUIRE_GETTEXT=1 (CI sets it) makes a missing msgfmt an error instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


def catalogues() -> list[Path]:
    """The project's own .po files (not those of installed packages)."""
    return sorted(
        po for base in settings.LOCALE_PATHS for po in Path(base).glob("*/LC_MESSAGES/*.po")
    )


def compile_with_polib(po_path: Path) -> Path:
    """Fuzzy and untranslated entries are left out, as msgfmt does."""
    mo_path = po_path.with_suffix(".mo")
    try:
        catalogue = polib.pofile(str(po_path))
    except (OSError, ValueError) as error:
        raise CommandError(f"{po_path}: {error}") from None
    catalogue.save_as_mofile(str(mo_path))
    return mo_path


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo (msgfmt if installed, else polib)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--polib",
            action="store_true",
            dest="use_polib",
            help="use polib even when msgfmt is installed",
        )

    def handle(self, *args, use_polib: bool = False, **options) -> None:
        paths = catalogues()
        if not paths:
            self.stdout.write("No translations to compile.")
            return
        if not use_polib and shutil.which("msgfmt"):
            # Only LOCALE_PATHS: unless told to ignore everything, compilemessages walks every
            # locale/ folder below the current directory, the packages in .venv included.
            call_command("compilemessages", ignore_patterns=["*"], verbosity=options["verbosity"])
            return
        if os.environ.get("CAREERFRAME_REQUIRE_GETTEXT") == "1" and not use_polib:
            raise CommandError(
                "msgfmt not found (Debian/Ubuntu: sudo apt-get install gettext); "
                "CAREERFRAME_REQUIRE_GETTEXT=1 makes it required."
            )
        for po_path in paths:
            mo_path = compile_with_polib(po_path)
            if options["verbosity"] >= 1:
                self.stdout.write(f"compiled {mo_path} (polib)")
