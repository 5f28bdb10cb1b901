import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reviews.services import reminders_send


class Command(BaseCommand):
    help = (
        "Email every reviewer of an open review round whose decision is due within --days "
        "days (default 2) or overdue and who has not decided on the round's current revision. "
        "Each reviewer gets at most one reminder a day, so running it again the same day sends "
        "nothing: safe to run from cron every hour."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=2, help="Look-ahead in days (default 2).")
        parser.add_argument("--today", help="Pretend today is YYYY-MM-DD (for testing a schedule).")

    def handle(self, *args, **options) -> None:
        if options["days"] < 0:
            raise CommandError("--days must be 0 or more.", returncode=2)
        today = timezone.localdate()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today {options['today']!r} is not a date (YYYY-MM-DD).", returncode=2
                ) from None
        sent = reminders_send(today=today, days_ahead=options["days"])
        self.stdout.write(f"Sent {sent} review reminder{'s' if sent != 1 else ''} for {today}.")
