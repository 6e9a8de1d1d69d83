"""Periodic work beside the task worker: each `sti worker` runs every registered piece of
periodic work (`registries.register_periodic_work`) once at start and then every
`every_seconds`. Several workers may run the same work at the same time, so the work itself
must be idempotent (claim rows with a conditional update, as the course reminders do)."""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, connection

from sti.core import registries

logger = logging.getLogger(__name__)
TICK_SECONDS = 5.0


def run_due(last_runs: dict[str, float], now: float | None = None) -> list[str]:
    """Run the work that is due (never run, or not for `every_seconds`); returns the keys."""
    now = time.monotonic() if now is None else now
    ran = []
    for work in registries.periodic_work():
        last = last_runs.get(work.key)
        if last is not None and now - last < work.every_seconds:
            continue
        last_runs[work.key] = now
        try:
            result = work.run()
            logger.info("periodic work %s: %s", work.key, result)
        except Exception:  # noqa: BLE001 — a failed pass is retried at the next period
            logger.warning("periodic work %s failed", work.key, exc_info=True)
        ran.append(work.key)
    return ran


def run_periodic(stop: threading.Event, tick: float = TICK_SECONDS) -> threading.Thread:
    def loop():
        last_runs: dict[str, float] = {}
        try:
            while True:
                close_old_connections()  # a connection the database dropped is reopened
                run_due(last_runs)
                if stop.wait(tick):
                    break
        finally:
            connection.close()

    thread = threading.Thread(target=loop, name="periodic-work", daemon=True)
    thread.start()
    return thread
