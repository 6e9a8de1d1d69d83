"""`@task` wrappers of the harvester's worker-side work (`jobs.py`), run by the worker."""

from django_tasks import task

from sti.harvest import jobs


@task()
def harvest_source(job_id: int, source_id: int, full: bool = False) -> str:
    """Harvest one partner repository as a tracked job; returns the job's state."""
    return jobs.run_harvest(job_id, source_id, full).state
