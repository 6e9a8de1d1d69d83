"""`@task` wrappers of the search app, run by the worker (which owns the index writer)."""

from django_tasks import task

from sti.search import services


@task()
def index_records(type: str, pks: list[str]) -> int:
    """Index (or remove) the given records of one type; returns how many were written."""
    return services.index_records(type, pks)
