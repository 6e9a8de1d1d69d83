"""The shared similarity engine: TF-IDF over folded syllable 1+2-grams, with a corpus registry.

An app declares what it matches in a `Corpus` of `ModelSource`s and registers it from its
`AppConfig.ready()` (projects: tasks and library documents for the duplicate check of
proposals); callers then ask that corpus:

    corpus = get_corpus("projects")
    for match in corpus.find_similar(text, limit=10):   # may raise IndexNotReady
        match.kind, match.object_id, match.score, match.query_html, match.match_html

Modules: `engine` (the matrix; numpy/scikit-learn, loaded only when a matrix is needed:
built in chunks onto disk, memory-mapped by every process, a check reads its rarest
n-grams' postings and re-ranks 500 candidates exactly), `corpus` (sources, the process-wide
matrix, its folder on disk, picking up a newer build, incremental catch-up),
`highlight` (shared passages), `registry`, `tasks` (the default worker rebuild).
"""

from sti.core.similarity.corpus import (
    Corpus,
    Description,
    IndexNotReady,
    Match,
    ModelSource,
    Source,
)
from sti.core.similarity.highlight import highlight_pair
from sti.core.similarity.registry import all_corpora, get_corpus, register, unregister

__all__ = [
    "Corpus",
    "Description",
    "IndexNotReady",
    "Match",
    "ModelSource",
    "Source",
    "all_corpora",
    "get_corpus",
    "highlight_pair",
    "register",
    "unregister",
]
