"""Sample data: each app registers `load_sample(log)` (and `generate(...)` for benches) with
`sti.core.registries.register_sample_data` in its `AppConfig.ready()`; `sti loaddemo` runs
them in INSTALLED_APPS order (directory before library and projects). Loaders are idempotent:
they look records up by natural keys, so `sti demo` can run again and again."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from sti.core.registries import sample_data
from sti.search.signals import indexing_paused


def loaders() -> list[tuple[str, Callable]]:
    return [(sample.app_label, sample.load) for sample in sample_data() if sample.load]


def generators() -> list[tuple[str, Callable]]:
    return [(sample.app_label, sample.generate) for sample in sample_data() if sample.generate]


def load_all(log: Callable[[str], None] = print) -> None:
    """Run every app's loader; the caller rebuilds the search index afterwards."""
    with indexing_paused():
        for _label, loader in loaders():
            with transaction.atomic():
                loader(log)
