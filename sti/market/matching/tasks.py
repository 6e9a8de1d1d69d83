"""`@task` wrappers around `jobs.py` (the worker runs them)."""

from django_tasks import task

from sti.market.matching import jobs


@task()
def notify_new_matches(job_id: int) -> str:
    return jobs.notify_new_matches(job_id).state


@task()
def rebuild_matching(job_id: int) -> str:
    return jobs.rebuild_matching(job_id).state
