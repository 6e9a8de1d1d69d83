"""Sample data: each app may define `sample.py` with `load_sample(log)`; `sti loaddemo` runs
them in INSTALLED_APPS order (directory before library and projects). Loaders are idempotent:
they look records up by natural keys, so `sti demo` can run again and again."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import import_string

from sti.search.signals import indexing_paused


def loaders() -> list[tuple[str, Callable]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("sti."):
            continue
        try:
            found.append((config.label, import_string(f"{config.name}.sample.load_sample")))
        except ImportError:
            continue
    return found


def load_all(log: Callable[[str], None] = print) -> None:
    """Run every app's loader; the caller rebuilds the search index afterwards."""
    with indexing_paused():
        for _label, loader in loaders():
            with transaction.atomic():
                loader(log)
