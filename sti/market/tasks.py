"""`@task` wrappers of the technology exchange's worker-side work (`jobs.py`)."""

from django_tasks import task

from sti.market import jobs


@task()
def notify_interest(interest_id: int) -> bool:
    return jobs.notify_interest(interest_id)


@task()
def notify_answer(interest_id: int) -> bool:
    return jobs.notify_answer(interest_id)


@task()
def build_catalogue(build_id: int) -> int:
    return jobs.build_catalogue(build_id).pk
