from django.core.management.base import BaseCommand

from sti.portal import health

MARKS = {health.OK: "OK ", health.WARNING: "!! ", health.ERROR: "XX "}


class Command(BaseCommand):
    help = "Check the database, search index, task worker, OCR, PDF output and disk space."

    def handle(self, *args, **options):
        checks = health.all_checks()
        for check in checks:
            self.stdout.write(f"{MARKS[check.state]} {check.label}: {check.detail}")
        if any(check.state == health.ERROR for check in checks):
            raise SystemExit(1)
