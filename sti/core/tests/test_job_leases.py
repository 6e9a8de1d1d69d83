"""Jobs survive their worker: a running job is held under a lease its worker renews; a job
whose lease expired is taken again by a live worker (its result written once) or, after
STI_JOB_MAX_ATTEMPTS runs, failed with the reason; editors retry it; the status page lists
stale and failed jobs. (A real worker killed mid-job: sti/library/tests/test_worker_kill.py.)"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from sti.core import jobs
from sti.core.choices import JobState
from sti.core.models import AuditEntry, TrackedJob
from sti.portal import health

WRITES: list[int] = []


@task()
def write_once(job_id: int) -> str:
    """A job whose result is one row written with the job's "done" (like a file's text)."""

    def work(progress, job):
        progress(1, message="Đang ghi")
        with transaction.atomic():
            WRITES.append(job.pk)
            jobs.complete(job, "Đã ghi một lần")
        return "Đã ghi một lần"

    return jobs.run(job_id, work).state


@pytest.fixture(autouse=True)
def _writes():
    WRITES.clear()
    yield
    WRITES.clear()


@pytest.fixture
def job(db, editor):
    made = jobs.create("test.write", label="Trích xuất bao-cao.pdf", requested_by=editor)
    TrackedJob.objects.filter(pk=made.pk).update(
        task_path=write_once.module_path, task_args=[made.pk]
    )
    made.refresh_from_db()
    return made


def _orphan(job, *, attempts=1, ago=120):
    """The state a killed worker leaves: running, 30 %, its lease long expired."""
    TrackedJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        worker="may-chu-cu:4242",
        done=30,
        attempts=attempts,
        started_at=timezone.now() - timedelta(seconds=ago + 60),
        lease_until=timezone.now() - timedelta(seconds=ago),
    )
    job.refresh_from_db()
    return job


def test_a_running_job_holds_a_lease_its_progress_renews(job, settings):
    settings.STI_JOB_LEASE_SECONDS = 60
    seen = {}

    def work(progress, running):
        row = TrackedJob.objects.get(pk=running.pk)
        seen["worker"], seen["first"], seen["attempts"] = row.worker, row.lease_until, row.attempts
        progress(50, message="Nửa chừng")
        seen["renewed"] = TrackedJob.objects.get(pk=running.pk).lease_until
        return "xong"

    jobs.run(job.pk, work)
    job.refresh_from_db()
    assert seen["worker"] == jobs.worker_id() and seen["attempts"] == 1
    assert seen["first"] > timezone.now() + timedelta(seconds=30)
    assert seen["renewed"] >= seen["first"]
    assert job.state == JobState.DONE and job.lease_until is None and not job.is_stale


def test_a_task_delivered_twice_runs_once(job):
    write_once.enqueue(job.pk)
    write_once.enqueue(job.pk)  # a duplicate delivery: the job is done, nothing runs
    job.refresh_from_db()
    assert WRITES == [job.pk] and job.state == JobState.DONE and job.attempts == 1


def test_a_job_under_a_live_lease_is_left_to_its_worker(job):
    TrackedJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        worker="may-khac:7",
        attempts=1,
        lease_until=timezone.now() + timedelta(seconds=30),
    )
    assert jobs.run(job.pk, lambda p, j: pytest.fail("must not run")).worker == "may-khac:7"
    assert jobs.reap().requeued == [] and TrackedJob.objects.stale().count() == 0


def test_the_reaper_takes_a_dead_workers_job_and_another_worker_finishes_it_once(job):
    _orphan(job)
    assert job.is_stale and list(TrackedJob.objects.stale()) == [job]
    reaped = jobs.reap()  # the immediate backend runs the re-enqueued task at once
    job.refresh_from_db()
    assert reaped.requeued == [job.pk] and reaped.failed == []
    assert job.state == JobState.DONE and job.attempts == 2 and job.worker == jobs.worker_id()
    assert job.message == "Đã ghi một lần" and WRITES == [job.pk]
    # A second reaper pass (every worker runs one) finds nothing to do.
    assert jobs.reap().requeued == [] and WRITES == [job.pk]


def test_a_worker_that_lost_its_lease_writes_nothing(job):
    write_once.enqueue(job.pk)
    assert WRITES == [job.pk]
    other = _orphan(TrackedJob.objects.create(kind="test.write", task_path="x", task_args=[]))
    other.worker = "toi:1"  # this process believes it holds the job; another worker does
    TrackedJob.objects.filter(pk=other.pk).update(
        worker="nguoi-khac:2", lease_until=timezone.now() + timedelta(seconds=60)
    )
    with pytest.raises(jobs.LeaseLost), transaction.atomic():
        jobs.complete(other, "muộn")
    other.refresh_from_db()
    assert other.state == JobState.RUNNING and other.worker == "nguoi-khac:2"


def test_after_max_attempts_the_job_fails_with_the_reason(job, settings):
    settings.STI_JOB_MAX_ATTEMPTS = 3
    _orphan(job, attempts=3)
    reaped = jobs.reap()
    job.refresh_from_db()
    assert reaped.failed == [job.pk] and WRITES == []
    assert job.state == JobState.FAILED and job.finished_at is not None
    assert "may-chu-cu:4242" in job.error and "3/3" in job.error
    assert job.can_retry


def test_a_job_that_does_not_know_its_task_fails_instead_of_hanging(db):
    legacy = _orphan(TrackedJob.objects.create(kind="cu.khong-ro"))
    assert jobs.reap().failed == [legacy.pk]
    legacy.refresh_from_db()
    assert legacy.state == JobState.FAILED and "không ghi tác vụ" in legacy.error


def test_status_page_lists_stale_jobs_as_an_error_and_failed_ones_as_a_warning(job, settings):
    assert health.tracked_jobs().state == health.OK
    _orphan(job)
    check = health.tracked_jobs()
    assert check.state == health.ERROR and "Trích xuất bao-cao.pdf" in check.detail
    assert "30 %" in check.detail and "may-chu-cu:4242" in check.detail
    assert check.repair_command == "sti requeue_stale" and check.repair_url
    settings.STI_JOB_MAX_ATTEMPTS = 1
    jobs.reap()
    check = health.tracked_jobs()
    assert check.state == health.WARNING and "Trích xuất bao-cao.pdf" in check.detail


def test_status_page_shows_the_stale_job_to_editors(job, editor, client_for):
    _orphan(job)
    html = client_for(editor).get("/trang-thai-he-thong/").content.decode()
    assert "Trích xuất bao-cao.pdf" in html and "sti requeue_stale" in html
    assert "/cong-viec-nen/" in html


def _failed(job):
    TrackedJob.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, attempts=3, error="Tiến trình nền may-chu-cu:4242 ngừng"
    )
    job.refresh_from_db()
    return job


def test_an_editor_retries_a_failed_job(job, editor, client_for, run_on_commit):
    _failed(job)
    page = client_for(editor).get("/cong-viec-nen/").content.decode()
    assert "Trích xuất bao-cao.pdf" in page and f"/cong-viec-nen/{job.pk}/chay-lai/" in page
    with run_on_commit():
        response = client_for(editor).post(f"/cong-viec-nen/{job.pk}/chay-lai/")
    assert response.status_code == 302
    job.refresh_from_db()
    # Queued again with a fresh count; the immediate backend ran it after the commit.
    assert job.state == JobState.DONE and job.attempts == 1 and WRITES == [job.pk]
    assert AuditEntry.objects.filter(object_type="core.trackedjob", object_id=str(job.pk))


@pytest.mark.parametrize("persona", ["registered", "member_a", "anonymous"])
def test_only_editors_retry_or_see_jobs(job, persona, request, client_for):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    _failed(job)
    client = client_for(user)
    retry = client.post(f"/cong-viec-nen/{job.pk}/chay-lai/")
    reap = client.post("/cong-viec-nen/chay-lai-viec-mat-tien-trinh/")
    listing = client.get("/cong-viec-nen/")
    if user is None:
        assert retry.status_code == reap.status_code == listing.status_code == 302
        assert "/login" in retry["Location"] or "dang-nhap" in retry["Location"]
    else:
        assert retry.status_code == reap.status_code == listing.status_code == 403
    job.refresh_from_db()
    assert job.state == JobState.FAILED and WRITES == []
    with pytest.raises(jobs.PermissionDenied):
        jobs.retry(user, job)


def test_retry_is_a_post_and_refuses_a_job_that_cannot_run_again(job, editor, client_for):
    assert client_for(editor).get(f"/cong-viec-nen/{job.pk}/chay-lai/").status_code == 405
    response = client_for(editor).post(f"/cong-viec-nen/{job.pk}/chay-lai/", follow=True)
    assert "không chạy lại được" in response.content.decode()
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and WRITES == []


def test_editors_reap_from_the_status_page(job, editor, client_for):
    _orphan(job)
    response = client_for(editor).post(
        "/cong-viec-nen/chay-lai-viec-mat-tien-trinh/", {"next": "/trang-thai-he-thong/"}
    )
    assert response.status_code == 302 and response["Location"] == "/trang-thai-he-thong/"
    job.refresh_from_db()
    assert job.state == JobState.DONE and WRITES == [job.pk]


def test_the_failed_job_partial_offers_editors_a_retry(job, editor, member_a):
    from django.template.loader import render_to_string

    _failed(job)
    for_editor = render_to_string("core/_job_status.html", jobs.status_context(job, editor))
    assert f"/cong-viec-nen/{job.pk}/chay-lai/" in for_editor
    for_member = render_to_string("core/_job_status.html", jobs.status_context(job, member_a))
    assert "chay-lai" not in for_member


def test_the_heartbeat_renews_the_lease_while_a_long_step_runs(settings, monkeypatch):
    """One long step (an OCR page) without progress reports: the heartbeat thread renews the
    lease every third of it, only while this worker holds the job. (End to end, with a real
    database, in sti/library/tests/test_worker_kill.py: the second worker's OCR outlasts the
    lease and its own reaper, and the job still runs once.)"""
    import time
    from types import SimpleNamespace

    settings.STI_JOB_LEASE_SECONDS = 0.06
    renewals = []

    class Rows:
        def __init__(self, **lookups):
            self.lookups = lookups

        def update(self, **values):
            renewals.append((self.lookups, values["lease_until"]))
            return 1

    monkeypatch.setattr(jobs, "TrackedJob", SimpleNamespace(objects=SimpleNamespace(filter=Rows)))
    beat = jobs._Heartbeat(41, "may-chu:7")
    beat.start()
    time.sleep(0.25)
    beat.stop()
    beat.join(2)
    assert not beat.is_alive() and len(renewals) >= 2
    assert all(
        lookups == {"pk": 41, "worker": "may-chu:7", "state": JobState.RUNNING}
        for lookups, _ in renewals
    )
    count = len(renewals)
    time.sleep(0.1)
    assert len(renewals) == count  # stopped with the work


def test_the_migration_tells_old_jobs_their_task(db, editor):
    """Jobs from before the lease learn their task and arguments; one left running by an old
    worker gets an expired lease, so the first reaper takes it."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("sti.core.migrations.0004_tracked_job_lease")
    ingest = TrackedJob.objects.create(kind="library.ingest", target_id="7", state="running")
    catalogue = TrackedJob.objects.create(kind="projects.catalogue", target_id="12")
    matrix = TrackedJob.objects.create(kind="similarity.projects")
    market = TrackedJob.objects.create(kind="similarity.market", state="done")
    unknown = TrackedJob.objects.create(kind="cu.khong-ro")
    migration.record_tasks(apps, None)
    for row in (ingest, catalogue, matrix, market, unknown):
        row.refresh_from_db()
    assert (ingest.task_path, ingest.task_args) == ("sti.library.tasks.ingest_file", [ingest.pk])
    assert (catalogue.task_path, catalogue.task_args) == (
        "sti.projects.tasks.build_catalogue",
        [12],
    )
    assert matrix.task_path == "sti.projects.tasks.rebuild_similarity"
    assert market.task_path == "sti.core.similarity.tasks.rebuild_corpus_task"
    assert unknown.task_path == "" and unknown.task_args == []
    assert ingest.is_stale and ingest.attempts == 1 and catalogue.lease_until is None
