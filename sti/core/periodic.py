"""Periodic work beside the task worker.

Apps register work with `registries.register_periodic(key, run, every_seconds=…)` in their
`AppConfig.ready()`. Every `sti worker` runs each piece once at start and then whenever its
period has passed, in a thread beside the worker (`run_periodic`). Several workers may run the
same work at once, so the work must be idempotent: claim rows with a conditional update or a
row lock, and make visibility never depend on the worker being on time (a scheduled article is
public from its date by its access rule; the worker only records the state change). Work that
takes long enqueues a tracked job (`sti.core.jobs.enqueue_periodic`) instead of running here.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, connection

from sti.core import registries

logger = logging.getLogger(__name__)
TICK_SECONDS = 5.0


def run_due(last_runs: dict[str, float], now: float | None = None) -> list[str]:
    """Run the work that is due (never run here, or not for `every_seconds`); a failure is
    logged and retried at the next period. Returns the keys that ran."""
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
        except Exception:  # noqa: BLE001 — logged; the next period tries again
            logger.warning("periodic work %s failed", work.key, exc_info=True)
        ran.append(work.key)
    return ran


def run_all() -> list[str]:
    """Run every registered piece once, due or not (`sti run_periodic`, tests)."""
    return run_due({})


def run_periodic(stop: threading.Event, tick: float = TICK_SECONDS) -> threading.Thread:
    """Start the thread that runs due work every `tick` seconds until `stop` is set."""

    def loop():
        last_runs: dict[str, float] = {}
        try:
            while True:
                close_old_connections()
                run_due(last_runs)
                if stop.wait(tick):
                    break
        finally:
            connection.close()

    thread = threading.Thread(target=loop, name="periodic-work", daemon=True)
    thread.start()
    return thread
