"""The editor's worklist: every registered queue with its size and its longest wait."""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from sti.core.registries import EDITOR_TOOLS, menu_entries, work_queues


def _days_since(since: date | datetime | None) -> int | None:
    if since is None:
        return None
    today = timezone.localdate()
    day = timezone.localtime(since).date() if isinstance(since, datetime) else since
    return (today - day).days


def queues_for(user) -> list[dict]:
    rows = []
    for queue in work_queues():
        summary = queue.summary(user)
        url = reverse(queue.url_name) + (f"?{queue.query}" if queue.query else "")
        rows.append(
            {
                "key": queue.key,
                "label": queue.label,
                "count": summary.count,
                "since": summary.since,
                "days": _days_since(summary.since) if summary.count else None,
                "since_label": queue.since_label,
                "url": url,
            }
        )
    return rows


def tools() -> list[dict]:
    return [
        {
            "label": entry.label,
            "url": reverse(entry.url_name) + (f"?{entry.query}" if entry.query else ""),
        }
        for entry in menu_entries(EDITOR_TOOLS)
    ]
