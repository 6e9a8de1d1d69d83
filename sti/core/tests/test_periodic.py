"""Periodic work beside the worker: due work runs, work not yet due waits, a failure is
logged and retried at the next period without stopping the others."""

from sti.core import periodic, registries


def test_run_due(monkeypatch):
    calls = []

    def boom():
        calls.append("boom")
        raise RuntimeError("mail server down")

    works = [
        registries.PeriodicWork("a", lambda: calls.append("a"), every_seconds=60),
        registries.PeriodicWork("boom", boom, every_seconds=10),
    ]
    monkeypatch.setattr(registries, "periodic_work", lambda: works)
    last: dict = {}
    assert periodic.run_due(last, now=100.0) == ["a", "boom"]
    assert periodic.run_due(last, now=105.0) == []
    assert periodic.run_due(last, now=111.0) == ["boom"]
    assert periodic.run_due(last, now=161.0) == ["a", "boom"]
    assert calls == ["a", "boom", "boom", "a", "boom"]


def test_register_periodic_work_refuses_a_duplicate_key():
    import pytest

    with pytest.raises(ValueError, match="registered twice"):
        registries.register_periodic_work(
            "training.reminders", "sti.training.jobs.send_due_reminders", every_seconds=60
        )
