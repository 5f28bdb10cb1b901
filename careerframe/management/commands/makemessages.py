"""Django's makemessages, skipping the folders that hold no interface text of careerframe, so
``manage.py makemessages -l nl`` (or ``make makemessages``) always scans the same files.

Django's documented way to change makemessages' defaults: a command of the same name in one
of the project's apps. Django already skips hidden folders (``.venv``, ``.git``, ``.ci``).
"""

from __future__ import annotations

from django.core.management.commands import makemessages

# Third-party code and built assets, scripts and tests (their strings are not shown to users),
# and the packaging metadata (its .txt files would be read as templates).
IGNORE_PATTERNS = [
    "node_modules",
    "static",
    "staticfiles",
    "bench",
    "tests",
    "docs",
    "*.egg-info",
    "build",
    "dist",
]


class Command(makemessages.Command):
    help = makemessages.Command.help + " careerframe skips: " + ", ".join(IGNORE_PATTERNS) + "."

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*(options.get("ignore_patterns") or []), *IGNORE_PATTERNS]
        return super().handle(*args, **options)
