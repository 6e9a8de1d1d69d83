"""Background work of the task registry (run by the worker)."""

from django_tasks import task


@task()
def build_catalogue_task(build_id: int) -> str:
    """Generate a yearly catalogue (DOCX + PDF) and record progress on its CatalogueBuild."""
    from sti.projects.catalogues import run_build

    return run_build(build_id).state


@task()
def rebuild_similarity_task() -> int:
    """Recompute the duplicate-check matrix from every task and library document, then run
    the checks of proposals submitted while it was missing."""
    from sti.projects import services
    from sti.projects.similarity import duplicates

    size = len(duplicates.rebuild())
    services.check_pending_proposals()
    return size
