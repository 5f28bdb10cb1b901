from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ladders.people.csvfile import parse_people_csv
from ladders.people.services import people_import
from roles.formats import ImportFailed
from roles.management.importfile import read_import_file


class Command(BaseCommand):
    help = (
        "Create or update people from a CSV with the columns name,email,lead_email,framework,"
        "role,level,sub_role (framework, role, level and sub-role by key or name; people are "
        "matched by email). All or nothing: on any error nothing is written, every problem is "
        "printed as PATH:LINE: column: message, and the exit status is 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV file to import.")

    def handle(self, *args, **options) -> None:
        path: str = options["path"]
        data = read_import_file(path, limit=settings.CAREERFRAME_MAX_IMPORT_BYTES)
        try:
            result = people_import(rows=parse_people_csv(data), user=None)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(error.render(path))
            raise CommandError(
                f"{len(failed.errors)} problem(s) in {path}; nothing was imported.", returncode=2
            ) from None
        self.stdout.write(
            f"Imported {path}: {result.created} added, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
