from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from roles.formats import ImportFailed
from roles.formats.registry import FORMATS, PARSERS, document_counts, format_from_path
from roles.management.importfile import read_import_file
from roles.services import PublishError, framework_import


class Command(BaseCommand):
    help = (
        "Import a framework file (long CSV, JSON document or XLSX workbook) into the framework "
        "SLUG's draft, creating the framework if it does not exist; --publish then publishes "
        "the draft as the next version. All or nothing: on any error nothing is written, "
        "every problem is printed as PATH:LINE: column: message (PATH: Sheet!C12: column: "
        "message for a workbook), and the exit status is 2. Files larger than "
        "CAREERFRAME_MAX_IMPORT_BYTES are refused unread. PDF and Markdown are export only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="File to import.")
        parser.add_argument("--slug", required=True, help="Framework slug, e.g. design.")
        parser.add_argument("--name", help="Framework name (defaults to the slug, titled).")
        parser.add_argument(
            "--format", choices=sorted(FORMATS), help="File format (default: from the extension)."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the draft as the next version."
        )

    def handle(self, *args, **options) -> None:
        path: str = options["path"]
        slug: str = options["slug"]
        if slugify(slug) != slug:
            raise CommandError(
                f"--slug {slug!r} is not a slug (try {slugify(slug)!r})", returncode=2
            )
        fmt = options["format"] or format_from_path(path)
        importable = "|".join(sorted(PARSERS))
        if fmt is None:
            raise CommandError(
                f"{path}: cannot tell the format from the extension; pass --format {importable}",
                returncode=2,
            )
        if fmt not in PARSERS:
            raise CommandError(
                f"{path}: {fmt} is an export-only format; import a {importable} file instead.",
                returncode=2,
            )
        data = read_import_file(path, limit=settings.CAREERFRAME_MAX_IMPORT_BYTES)
        try:
            document = PARSERS[fmt](data)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(error.render(path))
            raise CommandError(
                f"{len(failed.errors)} problem(s) in {path}; nothing was imported.", returncode=2
            ) from None
        try:
            result = framework_import(
                slug=slug, document=document, name=options["name"], publish=options["publish"]
            )
        except PublishError as exc:
            raise CommandError(f"{exc} Nothing was imported.", returncode=2) from None
        counts = ", ".join(f"{n} {what}" for what, n in document_counts(document).items())
        action = "created" if result.created else "draft replaced"
        published = f"; published v{result.published.number}" if result.published else ""
        self.stdout.write(f"Imported {path} into {slug!r} ({action}): {counts}{published}.")
