"""Digests as the worker runs them: periodic work of every `sti worker` (core.periodic) that
enqueues one tracked job per period (core.jobs.enqueue_periodic), and `sti send_digests` by
hand."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sti.alerts import services
from sti.alerts.choices import DigestFrequency
from sti.alerts.models import DigestRun, SavedSearch
from sti.core import periodic
from sti.core.choices import JobState
from sti.core.models import TrackedJob
from sti.core.registries import periodic_work

pytestmark = pytest.mark.django_db
KIND = "alerts.digests"


def _daily(user, hours_ago=1):
    saved = SavedSearch.objects.create(
        user=user, name="Lúa", query="lua chiu man", frequency=DigestFrequency.DAILY
    )
    SavedSearch.objects.filter(pk=saved.pk).update(
        created_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return saved


def test_alerts_register_their_periodic_work(settings):
    work = {work.key: work for work in periodic_work()}["alerts.digests"]
    assert work.every_seconds == settings.STI_ALERTS_CHECK_SECONDS
    assert work.run is services.schedule_digests


def test_periodic_work_enqueues_the_digest_job_once_per_period(
    salt_rice_world, with_emails, run_on_commit, settings
):
    settings.STI_ALERTS_DIGEST_HOUR = 0
    _daily(with_emails["dangky"])
    with run_on_commit():
        assert "alerts.digests" in periodic.run_all()  # what each worker does when due
    job = TrackedJob.objects.get(kind=KIND)
    assert job.state == JobState.DONE and job.task_path == "sti.alerts.tasks.send_due_digests"
    assert job.message.startswith("Đã gửi 1 thư thông báo")
    assert len(mail.outbox) == 1
    # Within the period another worker's pass enqueues nothing; after it, a new job runs
    # (and finds nothing new to send).
    with run_on_commit():
        assert services.schedule_digests() is None
    TrackedJob.objects.filter(kind=KIND).update(
        created_at=timezone.now() - timedelta(seconds=settings.STI_ALERTS_CHECK_SECONDS + 1)
    )
    with run_on_commit():
        assert services.schedule_digests() is not None
    assert TrackedJob.objects.filter(kind=KIND, state=JobState.DONE).count() == 2
    assert len(mail.outbox) == 1


def test_a_queued_digest_job_is_not_enqueued_twice(settings):
    settings.STI_ALERTS_DIGEST_HOUR = 0
    first = services.schedule_digests()  # queued: its task runs only after a commit
    assert first is not None and services.schedule_digests() is None


def test_send_digests_command(salt_rice_world, with_emails, settings):
    settings.STI_ALERTS_DIGEST_HOUR = 0
    saved = _daily(with_emails["baocao_a"])
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "Đã gửi 1 thư thông báo" in out.getvalue()
    assert DigestRun.objects.get(saved_search=saved).new_count == 5
    out = StringIO()
    call_command("send_digests", "--saved-search", str(saved.pk), stdout=out)
    assert out.getvalue().startswith("already")
    with pytest.raises(Exception, match="ISO 8601"):
        call_command("send_digests", "--at", "hôm qua")
