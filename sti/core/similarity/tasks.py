"""The worker's rebuild of a corpus that names no job of its own (`Corpus.rebuild_task`)."""

from django_tasks import task


@task()
def rebuild_corpus_task(name: str) -> int:
    from sti.core.similarity.registry import get_corpus

    return len(get_corpus(name).rebuild())
