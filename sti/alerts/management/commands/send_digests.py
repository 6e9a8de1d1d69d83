"""`sti send_digests`: one pass of the saved-search digests, now, in this process.

The worker runs the same pass on a schedule; both are safe together (each period of each
saved search is written once, under a row lock).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from sti.alerts import services


class Command(BaseCommand):
    help = "Send the saved-search digests that are due (daily and weekly e-mails)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--at",
            default=None,
            help="Run as if it were this moment (ISO 8601, e.g. 2026-03-02T08:00+07:00).",
        )
        parser.add_argument("--saved-search", type=int, default=None, help="Only this one.")

    def handle(self, *args, **options):
        now = None
        if options["at"]:
            now = parse_datetime(options["at"])
            if now is None or now.tzinfo is None:
                raise CommandError("--at: an ISO 8601 moment with its offset is expected")
        if options["saved_search"]:
            outcome = services.send_digest(options["saved_search"], now)
            self.stdout.write(f"{outcome.state}: {outcome.new_count}")
            return
        self.stdout.write(str(services.run_due_digests(now)))
