"""Changes on their way to the index (`PendingIndex`): the sweep that enqueues again those
whose task was lost, run as periodic work by every worker."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from sti.search import tasks
from sti.search.models import PendingIndex

logger = logging.getLogger(__name__)
# Lost changes enqueued again per sweep (the next sweep takes the rest).
RETRY_BATCH = 5000


def retry_lost_indexing(now=None) -> int:
    """Enqueue again the changes whose index task was lost: `PendingIndex` rows older than
    `STI_INDEX_RETRY_SECONDS`. Periodic work of every worker; a row claimed by two workers at
    once is indexed twice, which changes nothing. Returns how many records were enqueued."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.STI_INDEX_RETRY_SECONDS)
    lost = list(
        PendingIndex.objects.filter(queued_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", "type", "pk_value")[:RETRY_BATCH]
    )
    if not lost:
        return 0
    # Claimed: the next sweep waits another period before taking them again.
    PendingIndex.objects.filter(pk__in=[row[0] for row in lost]).update(queued_at=now)
    by_type: dict[str, list[str]] = {}
    for _pk, type, pk_value in lost:
        by_type.setdefault(type, [])
        if pk_value not in by_type[type]:
            by_type[type].append(pk_value)
    for type, pks in by_type.items():
        logger.warning("index task lost for %s %s record(s): enqueued again", len(pks), type)
        tasks.index_records.enqueue(type, pks)
    return sum(len(pks) for pks in by_type.values())
