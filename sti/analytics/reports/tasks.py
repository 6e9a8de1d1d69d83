"""`@task` wrapper of the report build (`reports/jobs.py`)."""

from django_tasks import task


@task()
def build_report(build_id: int) -> int:
    from sti.analytics.reports import jobs

    return jobs.build_report(build_id).pk
