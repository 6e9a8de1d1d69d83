"""Query-count pins of the pages core serves: the audit log and the background jobs."""

import pytest

from sti.core import audit
from sti.core.testing import assert_flat_queries

pytestmark = pytest.mark.django_db


def test_audit_log(client_for, editor, org_a):
    def add(count):
        notes = [f"Ghi chú số {i}: đổi địa chỉ" for i in range(count)]
        for note in notes:
            audit.record(editor, "update", org_a, {"address": ["", "Ninh Kiều"]}, note)
        return notes

    # + one query per record type on the page, for the links to the records.
    assert_flat_queries(client_for(editor), "/nhat-ky/", add, at_most=6)


def test_job_list(client_for, editor):
    from datetime import timedelta

    from django.utils import timezone

    from sti.core import jobs
    from sti.core.models import TrackedJob

    def add(count):
        labels = [f"Trích xuất bao-cao-{i}.pdf" for i in range(count)]
        for i, label in enumerate(labels):
            job = jobs.create("library.ingest", label=label, requested_by=editor)
            TrackedJob.objects.filter(pk=job.pk).update(
                state=["running", "failed", "queued"][i % 3],
                task_path="sti.library.tasks.ingest_file",
                task_args=[job.pk],
                worker="may-chu:1",
                lease_until=timezone.now() - timedelta(minutes=5),
            )
        return labels

    assert_flat_queries(client_for(editor), "/cong-viec-nen/", add, at_most=8)
