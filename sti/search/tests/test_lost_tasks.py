"""An acknowledged change always reaches the index, even when its task is lost (a worker
killed mid-run, a queue that dropped the message): each change leaves a `PendingIndex` row in
its own transaction, the task removes it, and the workers' sweep enqueues old rows again."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from sti.core import periodic
from sti.directory.models import Organization
from sti.search import outbox, services, tasks
from sti.search.base import SearchQuery
from sti.search.models import PendingIndex

pytestmark = pytest.mark.django_db


def found(text):
    query = SearchQuery(text=text, filters={"type": ["organization"]}, limit=10)
    return [hit.title for hit in services.search(None, query).hits]


class LostQueue:
    """Stands for `tasks.index_records`: what is enqueued is kept and never run, as when the
    worker running it is killed."""

    def __init__(self):
        self.calls = []

    def enqueue(self, type, pks):
        self.calls.append((type, list(pks)))


@pytest.fixture
def lost_tasks(monkeypatch):
    queue = LostQueue()
    monkeypatch.setattr(tasks, "index_records", queue)
    return queue


def test_the_task_removes_the_pending_row_of_the_change_it_indexed(run_on_commit):
    with run_on_commit():
        org = Organization.objects.create(name="Viện Nghiên cứu Phát triển ĐBSCL", kind="institute")
        assert list(PendingIndex.objects.values_list("type", "pk_value")) == [
            ("organization", str(org.pk))
        ]
    assert found("phat trien dbscl") == [org.name]
    assert not PendingIndex.objects.exists()


def test_a_lost_task_is_enqueued_again_by_the_sweep(run_on_commit, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(tasks, "index_records", LostQueue())
        with run_on_commit():
            org = Organization.objects.create(name="Trung tâm Giống cây trồng", kind="institute")
    assert found("giong cay trong") == []
    assert PendingIndex.objects.count() == 1

    # Too young: its task may still be on its way.
    assert outbox.retry_lost_indexing() == 0
    assert found("giong cay trong") == []

    later = timezone.now() + timedelta(seconds=61)
    assert outbox.retry_lost_indexing(now=later) == 1
    assert found("giong cay trong") == [org.name]
    assert not PendingIndex.objects.exists()


@override_settings(STI_INDEX_RETRY_SECONDS=0)
def test_the_sweep_runs_as_periodic_work_of_every_worker(run_on_commit, lost_tasks):
    with run_on_commit():
        org = Organization.objects.create(
            name="Hợp tác xã Nông nghiệp Mỹ Khánh", kind="cooperative"
        )
    assert found("my khanh") == []
    PendingIndex.objects.update(queued_at=timezone.now() - timedelta(seconds=5))
    lost_tasks.calls.clear()
    assert "search-retry-lost-indexing" in periodic.run_all()
    assert lost_tasks.calls == [("organization", [str(org.pk)])]


def test_a_claimed_row_waits_a_period_before_it_is_taken_again(run_on_commit, lost_tasks):
    with run_on_commit():
        Organization.objects.create(name="Viện Thủy sản", kind="institute")
    later = timezone.now() + timedelta(seconds=61)
    assert outbox.retry_lost_indexing(now=later) == 1  # enqueued into the lost queue again
    assert outbox.retry_lost_indexing(now=later + timedelta(seconds=30)) == 0
    assert outbox.retry_lost_indexing(now=later + timedelta(seconds=61)) == 1


def test_a_full_rebuild_covers_the_changes_made_before_it(run_on_commit, lost_tasks):
    with run_on_commit():
        org = Organization.objects.create(name="Công ty Thủy sản Cần Thơ", kind="enterprise")
    assert PendingIndex.objects.count() == 1
    services.reindex(["organization"])
    assert found("thuy san can tho") == [org.name]
    assert not PendingIndex.objects.exists()
