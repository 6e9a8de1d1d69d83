"""Two workers at once: the row lock and the one-run-per-period constraint let one digest
out. Real concurrent transactions, so PostgreSQL only (SQLite serializes every write)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.utils import timezone

from sti.alerts import jobs
from sti.alerts.models import DigestRun
from sti.alerts.tests.test_digests import _save

# Transactional tests end with a flush, which empties the tables migrations filled (code
# lists, content types): `serialized_rollback` puts them back before the test, and
# `_migrated_state_afterwards` after it, for the tests that run next (as in portal's
# test_backup).
pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
        reason="concurrent row locks need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module", autouse=True)
def _migrated_state_afterwards(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents and not ContentType.objects.exists():
            connection.creation.deserialize_db_from_string(contents)


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
