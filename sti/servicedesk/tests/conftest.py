"""Fixtures of the service desk tests: a requester with an account (not a persona, so that
`registered` is someone else), requests made through the intake service, small files."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from sti.servicedesk import services
from sti.servicedesk.choices import ServiceKind

NOTE_SECRET = "Ghi chú nội bộ: khách quen, ưu tiên, giá dịch vụ 2 triệu"


@pytest.fixture(autouse=True)
def clear_rate_limits():
    """The rate-limit counters live in the (local memory) cache: each test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def requester(db):
    from sti.accounts.models import User

    return User.objects.create_user(
        username="nongdan",
        password="pw-nongdan",
        full_name="Trần Văn Nông",
        email="nong@example.vn",
        phone="0907 123 456",
    )


def intake_data(**extra) -> dict:
    data = {
        "kind": ServiceKind.INFORMATION,
        "subject": "Quy trình trồng lúa ST25 chịu mặn",
        "description": "Xin tài liệu kỹ thuật canh tác lúa ST25 trên đất nhiễm mặn ở Cần Thơ.",
        "requester_name": "Trần Văn Nông",
        "requester_organization": "HTX Nông nghiệp Thới Lai",
        "requester_phone": "0907 123 456",
        "requester_email": "nong@example.vn",
        "desired_deadline": None,
        "consent": True,
    }
    data.update(extra)
    return data


@pytest.fixture
def make_request(db):
    """`make_request(actor=None, **fields)`: a request made through the intake service."""

    def make(actor=None, **extra):
        return services.submit_request(actor, intake_data(**extra))

    return make


@pytest.fixture
def handled(make_request, editor, requester):
    """A request of `requester`, assigned to the editor and in progress, with a note."""
    req = make_request(requester)
    services.assign_request(editor, req, editor)
    services.move_request(editor, req, "in_progress")
    services.add_note(editor, req, NOTE_SECRET)
    req.refresh_from_db()
    return req


def pdf_bytes(text: str = "Hello") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
