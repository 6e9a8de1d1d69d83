from django.core.management.base import BaseCommand

from sti.core import jobs


class Command(BaseCommand):
    help = (
        "Take again the tracked jobs whose worker died (lease expired): enqueue them again, "
        "or mark them failed after STI_JOB_MAX_ATTEMPTS runs. Every worker does this itself."
    )

    def handle(self, *args, **options):
        reaped = jobs.reap()
        self.stdout.write(
            f"requeued: {len(reaped.requeued)} {reaped.requeued} · "
            f"failed: {len(reaped.failed)} {reaped.failed}"
        )
