"""Periodic work: the registry, the due logic of `core.periodic` and `jobs.enqueue_periodic`."""

import pytest
from django_tasks import task

from sti.core import jobs, periodic, registries
from sti.core.models import TrackedJob

RUNS: list[int] = []


@task()
def count_run(job_id: int) -> str:
    RUNS.append(job_id)
    return jobs.run(job_id, lambda progress, job: "ok").state


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(registries, "_periodic", {})
    return registries


def test_register_refuses_twice_and_nonpositive_periods(registry):
    registry.register_periodic("a", lambda: None, every_seconds=10)
    with pytest.raises(ValueError):
        registry.register_periodic("a", lambda: None, every_seconds=10)
    with pytest.raises(ValueError):
        registry.register_periodic("b", lambda: None, every_seconds=0)


def test_run_due_honours_each_period_and_survives_a_failure(registry):
    calls = []
    registry.register_periodic("fast", lambda: calls.append("fast"), every_seconds=10)
    registry.register_periodic("broken", lambda: 1 / 0, every_seconds=10)
    registry.register_periodic("slow", lambda: calls.append("slow"), every_seconds=100)
    last: dict[str, float] = {}
    assert periodic.run_due(last, now=1000.0) == ["fast", "broken", "slow"]
    assert periodic.run_due(last, now=1005.0) == []
    assert periodic.run_due(last, now=1011.0) == ["fast", "broken"]
    assert calls == ["fast", "slow", "fast"]


@pytest.mark.django_db
def test_enqueue_periodic_once_per_period(django_capture_on_commit_callbacks):
    RUNS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = jobs.enqueue_periodic("periodic:x", "X", count_run, every_seconds=3600)
    assert first is not None and first.task_args == [first.pk]
    assert RUNS == [first.pk]  # the immediate backend of the tests ran it
    first.refresh_from_db()
    assert first.state == "done"
    assert jobs.enqueue_periodic("periodic:x", "X", count_run, every_seconds=3600) is None
    TrackedJob.objects.filter(pk=first.pk).update(created_at=first.created_at.replace(year=2000))
    with django_capture_on_commit_callbacks(execute=True):
        again = jobs.enqueue_periodic("periodic:x", "X", count_run, every_seconds=3600)
    assert again is not None and RUNS == [first.pk, again.pk]
