"""Which similarity corpora exist, registered by each app from its `AppConfig.ready()`.

    register(Corpus(name="market", label=_("Cung – cầu công nghệ"), sources=[
        ModelSource("offer", "market.Offer", fields={"title": 2, "description": 1}),
        ModelSource("demand", "market.Demand", fields={"title": 2, "description": 1}),
    ]))

The engine (core) never names an app: a corpus is looked up by the name its app gave it.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from sti.core.similarity.corpus import DEFAULT_REBUILD_TASK, Corpus

__all__ = ["all_corpora", "get_corpus", "register", "unregister"]

_registry: dict[str, Corpus] = {}


def register(corpus: Corpus) -> Corpus:
    existing = _registry.get(corpus.name)
    if existing is not None and existing is not corpus:
        raise ValueError(f"similarity corpus {corpus.name!r} registered twice")
    # A mistyped job path fails here, at start-up, not when a rebuild is first needed.
    import_string(corpus.rebuild_task or DEFAULT_REBUILD_TASK)
    _registry[corpus.name] = corpus
    return corpus


def unregister(name: str) -> None:
    """Drop a corpus (tests register throw-away ones)."""
    _registry.pop(name, None)


def get_corpus(name: str) -> Corpus:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"no similarity corpus named {name!r}") from None


def all_corpora() -> list[Corpus]:
    return list(_registry.values())
