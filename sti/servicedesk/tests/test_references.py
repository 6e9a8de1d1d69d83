"""Reference numbers are unique and consecutive under concurrent intake (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from sti.servicedesk import services
from sti.servicedesk.models import ReferenceCounter, ServiceRequest
from sti.servicedesk.tests.conftest import intake_data

THREADS = 8
EACH = 5


# Skipped before any fixture runs. A transactional test flushes the tables afterwards:
# sti/conftest.py puts the migrated data back for the tests after it.
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write (IMMEDIATE transactions): no race to test",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_intake_gets_distinct_consecutive_numbers():
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait()
            for _ in range(EACH):
                services.submit_request(None, intake_data())
        except BaseException as error:  # noqa: BLE001 – reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(ServiceRequest.objects.values_list("number", flat=True))
    assert numbers == list(range(1, THREADS * EACH + 1))
    references = ServiceRequest.objects.values_list("reference", flat=True)
    assert len(set(references)) == THREADS * EACH
    assert ReferenceCounter.objects.get().last == THREADS * EACH


def test_numbers_restart_each_year(db):
    first, reference = services.next_reference(2031)
    assert (first, reference) == (1, "YC-2031-0001")
    assert services.next_reference(2031)[1] == "YC-2031-0002"
    assert services.next_reference(2032)[1] == "YC-2032-0001"
