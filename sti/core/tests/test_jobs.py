"""Tracked background jobs: progress, timing, waiting, failures whose text only editors see,
and the htmx status partial pages poll."""

import pytest
from django.template.loader import render_to_string

from sti.core import jobs
from sti.core.choices import JobState
from sti.core.models import TrackedJob


@pytest.fixture
def job(db, editor, org_a):
    return jobs.create(
        "test.export", target=org_a, label="Xuất danh bạ Đồng Tháp", requested_by=editor, total=4
    )


def test_a_job_runs_with_progress_and_timing(job, org_a):
    seen = []

    def work(progress, running):
        assert TrackedJob.objects.get(pk=running.pk).state == JobState.RUNNING
        for done in range(1, 4):
            progress(done, message=f"Đang xử lý dòng {done}")
            seen.append(TrackedJob.objects.get(pk=running.pk).done)
        return "Đã xuất 4 đơn vị"

    jobs.run(job.pk, work)
    job.refresh_from_db()
    assert seen == [1, 2, 3]
    assert job.state == JobState.DONE and job.percent == 100 and job.done == 4
    assert job.message == "Đã xuất 4 đơn vị" and job.error == ""
    assert job.started_at <= job.finished_at and job.duration is not None
    assert list(TrackedJob.objects.for_target(org_a)) == [job]
    assert TrackedJob.objects.latest_by_target([org_a]) == {org_a.pk: job}


def test_bare_counts_are_written_at_most_once_a_second(job):
    def work(progress, running):
        progress(1)  # written: the first report
        progress(2)  # within the second: kept in memory only
        assert TrackedJob.objects.get(pk=running.pk).done == 1
        progress.fraction(0.75)

    jobs.run(job.pk, work)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == job.total


def test_a_failure_is_recorded_and_the_runner_does_not_raise(job):
    def work(progress, running):
        progress(2, message="Đang ghi tệp")
        raise OSError("/srv/sti/var/exports/ab: không ghi được")

    returned = jobs.run(job.pk, work)
    job.refresh_from_db()
    assert returned.state == job.state == JobState.FAILED
    assert job.error == "/srv/sti/var/exports/ab: không ghi được"
    assert job.finished_at is not None and job.is_finished and not job.is_active


def test_waiting_keeps_the_reason_for_everyone(job):
    def work(progress, running):
        raise jobs.Waiting("OCR không khả dụng: chưa cài Tesseract")

    jobs.run(job.pk, work)
    job.refresh_from_db()
    assert job.state == JobState.WAITING and "Tesseract" in job.message and job.done == 0


def test_pending_ignores_finished_and_stale_jobs(job):
    assert jobs.pending("test.export")
    TrackedJob.objects.filter(pk=job.pk).update(
        created_at=job.created_at.replace(year=job.created_at.year - 1)
    )
    assert not jobs.pending("test.export", within=3600)
    TrackedJob.objects.filter(pk=job.pk).update(state=JobState.DONE)
    assert not jobs.pending("test.export")


def _partial(job, user, poll_url=""):
    return render_to_string(
        "core/_job_status.html", jobs.status_context(job, user, poll_url=poll_url)
    )


def test_status_partial_polls_while_active_and_shows_errors_to_editors_only(
    job, editor, member_a, registered
):
    html = _partial(job, editor, poll_url="/cong-viec/1/")
    assert 'hx-get="/cong-viec/1/"' in html and 'hx-trigger="every 2s"' in html
    assert "Đang chờ" in html and 'aria-valuenow="0"' in html

    TrackedJob.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, error="/srv/sti/var/exports/ab: không ghi được"
    )
    job.refresh_from_db()
    for_editor = _partial(job, editor, poll_url="/cong-viec/1/")
    assert "/srv/sti/var/exports" in for_editor and "hx-trigger" not in for_editor
    for user in (member_a, registered, None):
        hidden = _partial(job, user)
        assert "/srv/sti/var/exports" not in hidden
        assert "biên tập viên đã được báo" in hidden


def test_running_job_shows_its_percentage(job, editor):
    TrackedJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, done=3, message="Đang xử lý dòng 3"
    )
    job.refresh_from_db()
    html = _partial(job, editor)
    assert "75%" in html and "Đang xử lý dòng 3" in html and "hx-get" not in html
