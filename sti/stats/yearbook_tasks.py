"""`@task` wrapper of the yearbook build (`yearbook_jobs.py`)."""

from django_tasks import task


@task()
def build_yearbook(build_id: int) -> int:
    from sti.stats import yearbook_jobs

    return yearbook_jobs.build_yearbook(build_id).pk
