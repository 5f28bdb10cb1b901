from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roles.formats.registry import WRITERS
from roles.models import Framework, FrameworkVersion
from roles.selectors import version_for_export
from roles.serialization import document_from_version


class Command(BaseCommand):
    help = (
        "Export one version of the framework SLUG (a number, 'latest' = the current "
        "published version, or 'draft') as long CSV or a JSON document, to a file or, with "
        "-o -, to standard output."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        # Django's own --version (print Django's version) gives way to this command's option.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--version", default="latest", help="N, latest (default) or draft.")
        parser.add_argument("--format", required=True, choices=sorted(WRITERS))
        parser.add_argument("-o", "--output", required=True, help="Output file, or - for stdout.")

    def handle(self, *args, **options) -> None:
        try:
            framework = Framework.objects.get(slug=options["slug"])
            version = version_for_export(framework=framework, version=options["version"])
        except Framework.DoesNotExist:
            raise CommandError(
                f"No framework with slug {options['slug']!r}.", returncode=2
            ) from None
        except (ValueError, FrameworkVersion.DoesNotExist) as exc:
            raise CommandError(str(exc), returncode=2) from None
        text = WRITERS[options["format"]](document_from_version(version))
        output = options["output"]
        if output == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise CommandError(f"{output}: {exc.strerror}", returncode=2) from None
        self.stdout.write(
            f"Exported {framework.slug} {version.label} as {options['format']} to {output}."
        )
