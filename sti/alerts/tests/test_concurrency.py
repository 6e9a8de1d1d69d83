"""Two workers at once: the row lock and the one-run-per-period constraint let one digest
out. Real concurrent transactions, so PostgreSQL only (SQLite serializes every write)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone

from sti.alerts import jobs
from sti.alerts.models import DigestRun
from sti.alerts.tests.test_digests import _save

# Transactional tests end with a flush: `serialized_rollback` puts the migrated data (code
# lists, content types) back before each test, and sti/conftest.py after it.
pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
        reason="concurrent row locks need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_workers_at_once_send_one_digest(salt_rice_world, with_emails, settings):
    """Two workers pass at the same moment: the row lock and the one-run-per-period
    constraint let one of them write and mail the digest."""
    settings.STI_ALERTS_DIGEST_HOUR = 0
    saved = _save(with_emails["dangky"])
    now = timezone.now()
    barrier = threading.Barrier(2)
    states, errors = [], []

    def worker():
        from django.db import connection as own

        try:
            barrier.wait()
            states.append(jobs.send_digest(saved.pk, now).state)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(states) == ["already", "sent"]
    assert len(mail.outbox) == 1 and DigestRun.objects.count() == 1
