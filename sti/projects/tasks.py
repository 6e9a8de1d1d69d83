"""`@task` wrappers of the task registry's worker-side work (`jobs.py`), run by the worker."""

from django_tasks import task

from sti.projects import jobs


@task()
def build_catalogue(build_id: int) -> str:
    """Generate a yearly catalogue (DOCX + PDF), tracked on its job."""
    return jobs.build_catalogue(build_id).state


@task()
def rebuild_similarity(job_id: int) -> int:
    """Rebuild the duplicate-check matrix, then check the proposals waiting for it."""
    return jobs.rebuild_similarity(job_id)
