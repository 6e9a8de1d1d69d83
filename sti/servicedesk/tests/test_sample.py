"""The demo data: every state present, idempotent, and the link holders see no notes."""

import pytest

from sti.servicedesk.choices import RequestStatus
from sti.servicedesk.models import InternalNote, ServiceRequest

pytestmark = pytest.mark.django_db


def test_sample_covers_every_state_and_is_idempotent(client, run_on_commit):
    from django.core import mail

    from sti.accounts.sample import load_sample as load_accounts
    from sti.directory.sample import load_sample as load_directory
    from sti.servicedesk.sample import REQUESTS, load_sample

    log = lambda *a: None  # noqa: E731
    load_accounts(log)
    load_directory(log)
    with run_on_commit():
        load_sample(log)
    assert mail.outbox == []  # the demo e-mails nobody
    assert ServiceRequest.objects.count() == len(REQUESTS)
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert ServiceRequest.objects.filter(rating__isnull=False).count() >= 4
    assert InternalNote.objects.exists()
    load_sample(log)
    assert ServiceRequest.objects.count() == len(REQUESTS)
    for req in ServiceRequest.objects.all():
        page = client.get(req.get_tracking_url())
        assert page.status_code == 200
        for note in req.internal_notes.all():
            assert note.body not in page.content.decode()
