import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from notifications.services import digests_send


class Command(BaseCommand):
    help = (
        "Email everyone with notifications waiting for the daily digest (made by the end of "
        "--date, default today, and still unread) one email listing them all. At most one "
        "digest per person and day, so running it again the same day, or twice at once, "
        "sends nothing more: safe to run from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The digest's day, YYYY-MM-DD (default: today).")

    def handle(self, *args, **options) -> None:
        day = timezone.localdate()
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date {options['date']!r} is not a date (YYYY-MM-DD).", returncode=2
                ) from None
        sent = digests_send(day=day)
        self.stdout.write(f"Sent {sent} digest{'s' if sent != 1 else ''} for {day}.")
