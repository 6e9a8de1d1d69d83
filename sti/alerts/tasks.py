"""`@task` wrappers of the alerts app, run by the worker."""

from django_tasks import task

from sti.alerts import jobs


@task()
def send_due_digests(job_id: int) -> str:
    """Send the saved-search digests that are due (a periodic tracked job)."""
    return jobs.send_due_digests(job_id)
