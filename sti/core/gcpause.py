"""Fewer garbage collections while a bulk job builds many short-lived objects.

A rebuild of the search index creates several model instances per record (the record and
its prefetched relations, some of them in reference cycles), and CPython runs a young
collection every 700 new container objects, each one also walking what survived the last
ones: on a library reindex that was a third of the feeding thread's CPU. Inside
`fewer_collections()` the objects alive before it are moved out of the collector's sight
(`gc.freeze`) and young collections run every `threshold` allocations instead: cycles are
still reclaimed, just in larger batches, so memory stays bounded.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young collections every 25,000 container allocations instead of CPython's 700, and the
# middle generation every third of them instead of every tenth: the records of the batch
# in hand survive a young collection and wait in the middle generation, so waiting longer
# there would hold several batches of garbage at once.
BULK_THRESHOLD = 25_000
MIDDLE_EVERY = 3


@contextmanager
def fewer_collections(threshold: int = BULK_THRESHOLD) -> Iterator[None]:
    """Run the block with rarer young collections and the older objects frozen; the
    collector's settings are restored afterwards (nested uses keep the outer ones)."""
    previous = gc.get_threshold()
    if not gc.isenabled() or previous[0] >= threshold:
        yield  # already tuned (nested) or disabled by the caller: leave it alone
        return
    gc.collect()  # garbage of earlier work must not be frozen with the live objects
    gc.freeze()
    gc.set_threshold(threshold, MIDDLE_EVERY, previous[2])
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()
