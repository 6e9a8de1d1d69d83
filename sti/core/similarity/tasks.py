"""The worker's rebuild of a corpus that names no task of its own (`Corpus.rebuild_task`)."""

from django_tasks import task


@task()
def rebuild_corpus_task(job_id: int) -> int:
    """Rebuild the corpus whose TrackedJob this is (kind "similarity.<name>")."""
    from sti.core import jobs
    from sti.core.models import TrackedJob
    from sti.core.similarity.registry import get_corpus

    corpus = get_corpus(TrackedJob.objects.get(pk=job_id).kind.removeprefix("similarity."))
    size = 0

    def work(progress, job) -> str:
        nonlocal size
        size = len(corpus.rebuild())
        return f"{size}"

    jobs.run(job_id, work)
    return size
