"""`@task` wrappers of the statistics app's worker-side work (`jobs.py`)."""

from django_tasks import task

from sti.stats import jobs


@task()
def send_reminder(reminder_id: int) -> bool:
    return jobs.send_reminder(reminder_id)


@task()
def rebuild_aggregates(job_id: int, period_id: int) -> str:
    """Rebuild a period's aggregates (tracked on its job)."""
    return jobs.rebuild_aggregates(job_id, period_id)
