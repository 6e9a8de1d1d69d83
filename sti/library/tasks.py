"""`@task` wrappers of the library's worker-side work (`jobs.py`), run by the worker."""

from django_tasks import task

from sti.library import jobs


@task()
def ingest_file(job_id: int) -> str:
    """Extract a file's text, with OCR where it has no text layer; returns the job's state."""
    return jobs.run_ingest(job_id).state
