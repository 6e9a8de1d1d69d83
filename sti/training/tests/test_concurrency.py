"""MUST SHOW: concurrent registrations never exceed the capacity (PostgreSQL row locks).

Each thread has its own database connection and registers at the same moment (a barrier);
the course row lock serializes them, so exactly `capacity` are confirmed and the rest wait
(or are refused when the course has no waiting list). SQLite serializes every writer on
the whole database and has no `SELECT … FOR UPDATE`, so the race cannot happen there and the
test would prove nothing: it runs on PostgreSQL only.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from sti.training import services
from sti.training.choices import RegistrationStatus
from sti.training.models import Registration
from sti.training.tests.conftest import public_data

# Transactional tests end with a flush: `serialized_rollback` puts the migrated data (code
# lists, content types) back before each test, and sti/conftest.py after it.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks (SELECT … FOR UPDATE) and "
        "serializes all writers, so concurrent registrations cannot race there",
    ),
]

THREADS = 12


def _race(course, register) -> list:
    barrier = threading.Barrier(THREADS)
    outcomes: list = [None] * THREADS

    def worker(index):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = register(course, index)
        except ValidationError as error:
            outcomes[index] = error
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_registrations_never_exceed_capacity(make_course):
    course = make_course(capacity=5)
    outcomes = _race(course, lambda c, i: services.register_public(c, public_data(i)))
    assert all(isinstance(o, Registration) for o in outcomes), outcomes
    statuses = list(Registration.objects.filter(course=course).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 5
    assert statuses.count(RegistrationStatus.WAITING) == THREADS - 5


def test_concurrent_registrations_without_waiting_list_are_refused_past_capacity(make_course):
    course = make_course(capacity=4, has_waiting_list=False)
    outcomes = _race(course, lambda c, i: services.register_public(c, public_data(i)))
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == THREADS - 4, outcomes
    assert all("không nhận danh sách chờ" in " ".join(e.messages) for e in refused)
    assert Registration.objects.filter(course=course).count() == 4


def test_concurrent_duplicates_register_once(make_course):
    course = make_course(capacity=50)
    outcomes = _race(course, lambda c, i: services.register_public(c, public_data(1)))
    assert sum(isinstance(o, Registration) for o in outcomes) == 1, outcomes
    assert Registration.objects.filter(course=course).count() == 1


def test_concurrent_cancellations_promote_each_waiting_person_once(make_course):
    course = make_course(capacity=6)
    made = [services.register_public(course, public_data(i)) for i in range(THREADS)]
    confirmed = [r for r in made if r.status == RegistrationStatus.CONFIRMED]
    outcomes = _race(
        course,
        lambda c, i: (
            services.cancel_registration_by_link(confirmed[i], confirmed[i].email)
            if i < len(confirmed)
            else None
        ),
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    statuses = list(Registration.objects.filter(course=course).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 6  # all six waiting were promoted
    assert statuses.count(RegistrationStatus.CANCELLED) == 6
    assert statuses.count(RegistrationStatus.WAITING) == 0
