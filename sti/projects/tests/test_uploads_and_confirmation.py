"""Files of the acceptance and registration dossier are checked by content (nothing stays
behind a refusal), and irreversible moves need an explicit confirmation on the pages."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sti.core.models import AuditEntry
from sti.core.statemachine import IllegalMove
from sti.library.tests.conftest import text_pdf
from sti.projects import services
from sti.projects.choices import (
    AcceptanceRating,
    ProposalStatus,
    RegistrationFileKind,
    TaskStatus,
)
from sti.projects.models import Acceptance, Proposal, RegistrationFile, ResultRegistration

pytestmark = pytest.mark.django_db

POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"


def _stored(media_root) -> list[Path]:
    root = Path(media_root) / "projects"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bien-ban.pdf", POLYGLOT, "HTML"),
        ("bien-ban.pdf", _zip({"../../x.html": b"<script>"}), "không an toàn"),
        ("bien-ban.pdf", _zip({"a.txt": b"x"}), "nội dung là ZIP"),
        ("bien-ban.pdf", b"%PDF-1.4\n1 0 obj", "cắt cụt"),
    ],
)
def test_a_registration_file_that_is_not_what_it_claims_is_refused(
    client_for, editor, make_task, media_root, name, content, message
):
    task = make_task(status=TaskStatus.ACCEPTED)
    response = client_for(editor).post(
        f"/nhiem-vu/{task.pk}/dang-ky-ket-qua/",
        {
            "file-kind": RegistrationFileKind.MINUTES,
            "file-file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RegistrationFile.objects.exists() and _stored(media_root) == []


def test_a_real_registration_file_is_stored_and_audited(client_for, editor, make_task, media_root):
    task = make_task(status=TaskStatus.ACCEPTED)
    response = client_for(editor).post(
        f"/nhiem-vu/{task.pk}/dang-ky-ket-qua/",
        {
            "file-kind": RegistrationFileKind.DATA,
            "file-file": SimpleUploadedFile("so-lieu.zip", _zip({"do-man.csv": b"2023,4\n"})),
        },
    )
    assert response.status_code == 302
    attached = RegistrationFile.objects.get()
    assert attached.file.name.endswith(".zip") and len(_stored(media_root)) == 1
    assert AuditEntry.objects.filter(object_type="projects.registrationfile").exists()


def test_a_member_cannot_attach_registration_files(client_for, member_a, make_task, media_root):
    task = make_task(status=TaskStatus.ACCEPTED)
    ResultRegistration.objects.create(task=task)
    response = client_for(member_a).post(
        f"/nhiem-vu/{task.pk}/dang-ky-ket-qua/",
        {"file-kind": "khac", "file-file": SimpleUploadedFile("a.pdf", text_pdf("x"))},
    )
    assert response.status_code == 403 and _stored(media_root) == []


def test_acceptance_minutes_are_checked_and_nothing_stays_after_a_refusal(
    client_for, editor, make_task, media_root
):
    task = make_task(status=TaskStatus.AWAITING_ACCEPTANCE)
    url = f"/nhiem-vu/{task.pk}/nghiem-thu/"
    data = {"acceptance_date": "2024-11-20", "rating": AcceptanceRating.PASSED}
    response = client_for(editor).post(
        url, {**data, "minutes": SimpleUploadedFile("bien-ban.pdf", POLYGLOT)}
    )
    assert response.status_code == 200 and "HTML" in response.content.decode()
    assert not Acceptance.objects.exists() and _stored(media_root) == []
    response = client_for(editor).post(
        url, {**data, "minutes": SimpleUploadedFile("bien-ban.pdf", text_pdf("Biên bản"))}
    )
    assert response.status_code == 302
    assert Acceptance.objects.get().minutes.name.endswith(".pdf")


def test_minutes_saved_before_a_refused_move_are_removed(
    editor, make_task, media_root, monkeypatch
):
    task = make_task(status=TaskStatus.AWAITING_ACCEPTANCE)

    def refused(*args, **kwargs):  # the move fails after the minutes were written
        raise IllegalMove("Hồ sơ thiếu")

    monkeypatch.setattr(services, "transition_task", refused)
    with pytest.raises(IllegalMove):
        services.record_acceptance(
            editor,
            task,
            acceptance_date=date(2024, 11, 20),
            rating=AcceptanceRating.PASSED,
            minutes=SimpleUploadedFile("bien-ban.pdf", text_pdf("x")),
        )
    assert not Acceptance.objects.exists() and _stored(media_root) == []


# ---------------------------------------------------------------------------
# Irreversible moves
# ---------------------------------------------------------------------------
def test_stopping_a_task_from_its_page_needs_the_confirmation(client_for, editor, make_task):
    task = make_task(status=TaskStatus.IN_PROGRESS)
    client = client_for(editor)
    page = client.get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert 'name="confirmed"' in page and "Dừng thực hiện là quyết định cuối cùng" in page
    url = f"/nhiem-vu/{task.pk}/chuyen-trang-thai/"
    response = client.post(url, {"target": TaskStatus.STOPPED, "note": "Hết kinh phí"}, follow=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert "không thể hoàn tác" in response.content.decode()
    assert not task.transitions.exists()
    client.post(url, {"target": TaskStatus.STOPPED, "note": "Hết kinh phí", "confirmed": "1"})
    task.refresh_from_db()
    assert task.status == TaskStatus.STOPPED


def test_an_ordinary_move_needs_no_confirmation(client_for, editor, make_task):
    task = make_task(status=TaskStatus.IN_PROGRESS)
    client_for(editor).post(
        f"/nhiem-vu/{task.pk}/chuyen-trang-thai/", {"target": TaskStatus.EXTENDED}
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.EXTENDED


def test_a_member_cannot_stop_a_task_even_confirmed(client_for, member_a, make_task):
    task = make_task(status=TaskStatus.IN_PROGRESS)
    response = client_for(member_a).post(
        f"/nhiem-vu/{task.pk}/chuyen-trang-thai/",
        {"target": TaskStatus.STOPPED, "confirmed": "1"},
    )
    task.refresh_from_db()
    assert response.status_code in (403, 404) and task.status == TaskStatus.IN_PROGRESS


def test_the_api_confirms_by_calling(editor, make_task):
    task = make_task(status=TaskStatus.IN_PROGRESS)
    services.transition_task(editor, task.pk, TaskStatus.STOPPED)
    task.refresh_from_db()
    assert task.status == TaskStatus.STOPPED


def test_rejecting_a_proposal_needs_the_confirmation(client_for, editor, reporter_a, org_a):
    proposal = Proposal.objects.create(
        title="Ứng dụng chế phẩm sinh học xử lý rơm rạ",
        organization=org_a,
        status=ProposalStatus.SEARCHED,
        proposer=reporter_a,
    )
    url = f"/nhiem-vu/de-xuat/{proposal.pk}/xu-ly/"
    client = client_for(editor)
    client.post(url, {"target": ProposalStatus.REJECTED})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SEARCHED
    client.post(url, {"target": ProposalStatus.REJECTED, "confirmed": "on"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED


def test_the_machine_refuses_an_unconfirmed_irreversible_move_and_writes_nothing(editor, make_task):
    from sti.core.statemachine import ConfirmationRequired
    from sti.projects.lifecycle import TASK

    task = make_task(status=TaskStatus.IN_PROGRESS)
    audited = AuditEntry.objects.count()
    with pytest.raises(ConfirmationRequired):
        TASK.move(editor, task, TaskStatus.STOPPED, confirmed=False)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and AuditEntry.objects.count() == audited
    # The irreversible moves of the tables carry their warning; ordinary ones do not.
    assert TASK.confirmation(TaskStatus.IN_PROGRESS, TaskStatus.STOPPED)
    assert TASK.confirmation(TaskStatus.LISTED, TaskStatus.CANCELLED)
    assert not TASK.confirmation(TaskStatus.IN_PROGRESS, TaskStatus.EXTENDED)
