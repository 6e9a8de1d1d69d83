"""The process-wide search backend named by STI_SEARCH_BACKEND."""

from __future__ import annotations

import threading

from django.conf import settings
from django.utils.module_loading import import_string

from sti.search.base import SearchBackend
from sti.search.registry import full_texts

_backend: SearchBackend | None = None
_backend_lock = threading.Lock()


def get_backend() -> SearchBackend:
    """The process-wide backend named by STI_SEARCH_BACKEND."""
    global _backend
    with _backend_lock:
        if _backend is None:
            backend_class = import_string(settings.STI_SEARCH_BACKEND)
            _backend = backend_class(
                settings.STI_SEARCH_INDEX_DIR,
                writer_heap_mb=settings.STI_SEARCH_WRITER_HEAP_MB,
                full_texts=full_texts,
            )
        return _backend


def reset_backend() -> None:
    """Forget the backend (tests point STI_SEARCH_INDEX_DIR elsewhere)."""
    global _backend
    with _backend_lock:
        _backend = None
