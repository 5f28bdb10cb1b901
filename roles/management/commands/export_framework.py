import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from roles.document import Document
from roles.formats import ExportInfo
from roles.formats.registry import FORMATS, export
from roles.formats.subset import UnknownElement, document_for_position, document_for_role
from roles.models import Framework, FrameworkVersion
from roles.selectors import version_for_export
from roles.serialization import document_from_version

PRINTABLE = ("md", "pdf")


class Command(BaseCommand):
    help = (
        "Export one version of the framework SLUG (a number, 'latest' = the current "
        "published version, or 'draft') as long CSV, a JSON document, an XLSX workbook, or "
        "printable role definitions in Markdown or PDF, to a file or, with -o -, to standard "
        "output. --role KEY exports one role (its positions, levels, competencies, "
        "statements, criteria and paths); --position KEY one position (md and pdf only). "
        "Problems (unknown framework, version, role) exit with status 2."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        # Django's own --version (print Django's version) gives way to this command's option.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--version", default="latest", help="N, latest (default) or draft.")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--role", help="Export only the role with this key.")
        parser.add_argument(
            "--position", help="Export only the position with this key (md and pdf)."
        )
        parser.add_argument("-o", "--output", required=True, help="Output file, or - for stdout.")

    def handle(self, *args, **options) -> None:
        fmt: str = options["format"]
        try:
            framework = Framework.objects.get(slug=options["slug"])
            version = version_for_export(framework=framework, version=options["version"])
        except Framework.DoesNotExist:
            raise CommandError(
                f"No framework with slug {options['slug']!r}.", returncode=2
            ) from None
        except (ValueError, FrameworkVersion.DoesNotExist) as exc:
            raise CommandError(str(exc), returncode=2) from None
        where = f"{framework.slug} {version.label}"
        document, scope, part = self._part(document_from_version(version), options, where)
        published = timezone.localtime(version.published_at) if version.published_at else None
        info = ExportInfo(framework.name, version.label, published, scope)
        data = export(fmt, document, info)
        output = options["output"]
        if output == "-":
            self._to_stdout(data, fmt, options.get("stdout") or sys.stdout)
            return
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"{output}: {exc.strerror}", returncode=2) from None
        self.stdout.write(f"Exported {framework.slug} {version.label}{part} as {fmt} to {output}.")

    def _part(
        self, document: Document, options: dict[str, Any], where: str
    ) -> tuple[Document, str, str]:
        """The document restricted to --role or --position, its scope line, summary note."""
        role, position = options["role"], options["position"]
        if role and position:
            raise CommandError("Give --role or --position, not both.", returncode=2)
        if position and options["format"] not in PRINTABLE:
            raise CommandError(
                "--position is for md and pdf exports; export its role with --role instead.",
                returncode=2,
            )
        try:
            if role:
                part = document_for_role(document, role)
                return part, f"Role: {part['roles'][0]['name']}", f" (role {role})"
            if position:
                part = document_for_position(document, position)
                title = part["positions"][0]["title"]
                scope = f"Position: {title} ({part['roles'][0]['name']})"
                return part, scope, f" (position {position})"
        except UnknownElement as exc:
            raise CommandError(f"{where} has {exc}.", returncode=2) from None
        return document, "", ""

    def _to_stdout(self, data: bytes, fmt: str, stream: TextIO) -> None:
        if not FORMATS[fmt].binary:
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            raise CommandError(
                f"This standard output takes text only; write the {fmt} file with -o PATH.",
                returncode=2,
            )
        if buffer.isatty():
            raise CommandError(
                f"Refusing to write a binary {fmt} file to a terminal: redirect standard "
                "output, or use -o PATH.",
                returncode=2,
            )
        stream.flush()
        buffer.write(data)
        buffer.flush()
