"""`@task` wrappers of the news app's worker-side work (`jobs.py`), run by the worker."""

from django_tasks import task

from sti.news import jobs


@task()
def build_issue(issue_id: int) -> str:
    """Build a periodical issue's PDF and DOCX, tracked on its job."""
    return jobs.build_issue(issue_id).build_job.state
