"""`@task` wrappers of the search app, run by the worker (which owns the index writer)."""

from django_tasks import task

from sti.search import jobs


@task()
def index_records(type: str, pks: list[str]) -> int:
    """Index (or remove) the given records of one type; returns how many were written."""
    return jobs.index_records(type, pks)


@task()
def reindex_types(job_id: int, types: list[str]) -> str:
    """Rebuild the index of these types as a tracked job (an editor's repair)."""
    return jobs.reindex_tracked(job_id, types).state
