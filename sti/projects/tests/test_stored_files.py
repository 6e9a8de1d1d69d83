"""Acceptance minutes and registration files are served through the task's access rule,
not from /media/ (which production does not serve and which would check nobody)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sti.library.tests.conftest import text_pdf
from sti.projects import services
from sti.projects.choices import AcceptanceRating, TaskStatus
from sti.projects.models import ResultRegistration

MINUTES = text_pdf("Biên bản nghiệm thu")


@pytest.fixture
def accepted_task(editor, make_task):
    task = make_task(status=TaskStatus.AWAITING_ACCEPTANCE)
    services.record_acceptance(
        editor,
        task,
        acceptance_date=date(2024, 11, 20),
        rating=AcceptanceRating.PASSED,
        minutes=SimpleUploadedFile("bien-ban.pdf", MINUTES),
    )
    return task


@pytest.mark.parametrize(
    ("persona", "status"),
    [("editor", 200), ("reporter_a", 200), (None, 302), ("registered", 403), ("member_a", 403)],
)
def test_minutes_follow_the_full_record_rule(request, client_for, accepted_task, persona, status):
    client = client_for(request.getfixturevalue(persona) if persona else None)
    url = f"/nhiem-vu/{accepted_task.pk}/bien-ban-nghiem-thu/"
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert response.getvalue().startswith(b"%PDF-")
    page = client.get(f"/nhiem-vu/{accepted_task.pk}/").content.decode()
    assert (url in page) == (status == 200)
    assert "/media/" not in page


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("editor", True), ("reporter_a", False), ("member_a", False), ("registered", False)],
)
def test_registration_files_are_for_staff(request, client_for, editor, make_task, persona, allowed):
    task = make_task(status=TaskStatus.ACCEPTED)
    registration = ResultRegistration.objects.create(task=task)
    attached = services.add_registration_file(
        editor, registration, kind="khac", file=SimpleUploadedFile("don.pdf", MINUTES)
    )
    response = client_for(request.getfixturevalue(persona)).get(
        f"/nhiem-vu/dang-ky-ket-qua/tep/{attached.pk}/"
    )
    assert (response.status_code == 200) == allowed
    assert response.status_code in (200, 302, 403)
