"""`sti worker`: the task worker, with the reaper of tracked jobs whose worker died.

The reaper runs once at start and then every lease period in a thread beside the worker
(core.jobs.reap), so that any live worker takes again what a dead one left running; the
periodic work the apps register (`registries.register_periodic`: scheduled publishing of
news…) runs at the same moments.
"""

import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from sti.core import jobs


class Command(BaseCommand):
    help = "Run the background task worker and the reaper of stale tracked jobs."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default=None)
        parser.add_argument(
            "--reap-interval",
            type=float,
            default=None,
            help="Seconds between reaper passes (default: STI_JOB_LEASE_SECONDS).",
        )

    def handle(self, *args, **options):
        reaped = jobs.reap()
        if reaped.requeued or reaped.failed:
            self.stderr.write(f"stale jobs: requeued {reaped.requeued}, failed {reaped.failed}")
        jobs.run_periodic()  # work that fell due while no worker ran (scheduled news…)
        stop = threading.Event()
        jobs.run_reaper(stop, options["reap_interval"])
        try:
            if settings.TASK_BACKEND == "rq":
                call_command("rqworker", "--job-class", "django_tasks_rq.Job")
                return
            argv = ["--queue-name", options["queue_name"], "--interval", str(options["interval"])]
            if options["batch"]:
                argv.append("--batch")
            if options["max_tasks"]:
                argv += ["--max-tasks", str(options["max_tasks"])]
            if options["worker_id"]:
                argv += ["--worker-id", options["worker_id"]]
            call_command("db_worker", *argv)
        finally:
            stop.set()
