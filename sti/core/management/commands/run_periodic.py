"""`sti run_periodic`: run every registered piece of periodic work once, due or not (what each
`sti worker` does on its own schedule); for cron-driven setups and for looking at the result."""

from django.core.management.base import BaseCommand

from sti.core import periodic


class Command(BaseCommand):
    help = "Run every registered periodic work once (scheduled publishing, digests, reminders)."

    def handle(self, *args, **options):
        for key in periodic.run_all():
            self.stdout.write(key)
