"""Who may use each library page, for every persona: cataloguing (editors), deposits
(registered users), the item page, the review queue and "my deposits"."""

from __future__ import annotations

import unicodedata

import pytest

from sti.core.models import AuditEntry
from sti.core.testing import (
    EVERYONE,
    SIGNED_IN,
    STAFF,
    CreatePageTests,
    DetailPageTests,
    EditPageTests,
    ListPageTests,
)
from sti.library import services
from sti.library.choices import DocumentStatus
from sti.library.models import Document
from sti.library.tests.conftest import docx_bytes, upload

pytestmark = pytest.mark.django_db


def catalogue_post(**extra):
    data = {
        "title": unicodedata.normalize("NFD", "Nhan đề mới về Đồng bằng"),
        "source_type": "article",
        "language": "vie",
        "access": "public",
        "digitization": "born_digital",
        "creators_text": "Nguyễn Văn A\nĐỗ Thị Đào",
        "year": "2020",
    }
    data.update(extra)
    return data


class TestCatalogueCreate(CreatePageTests):
    model = Document
    create_url = "/thu-vien/tai-lieu/moi/"
    create_allowed = STAFF
    create_expected = {"title": "Nhan đề mới về Đồng bằng", "source_type": "article", "year": 2020}

    def create_data(self, request):
        return catalogue_post()

    def check_created(self, document, user):
        assert document.creator_names() == ["Nguyễn Văn A", "Đỗ Thị Đào"]
        entry = AuditEntry.objects.get(object_type="library.document", object_id=str(document.pk))
        assert entry.action == "create" and entry.actor == user


class TestCatalogueEdit(EditPageTests):
    """Editors edit any record (audited); a published record is not its depositor's."""

    edit_allowed = STAFF
    edit_expected = {"title": "Nhan đề mới về Đồng bằng", "source_type": "article"}

    def edit_object(self, request):
        return request.getfixturevalue("make_document")("Nhan đề cũ")

    def edit_url(self, document):
        return f"/thu-vien/tai-lieu/{document.pk}/sua/"

    def edit_data(self, request, document):
        return catalogue_post()

    def check_edited(self, document, user):
        entry = AuditEntry.objects.filter(object_type="library.document", action="update").get()
        assert entry.actor == user
        assert entry.changes["title"] == ["Nhan đề cũ", "Nhan đề mới về Đồng bằng"]
        assert entry.changes["creators"] == [["Nguyễn Văn A"], ["Nguyễn Văn A", "Đỗ Thị Đào"]]


class TestDeposit(CreatePageTests):
    """Any signed-in user deposits a report with its file; it waits for review."""

    model = Document
    create_url = "/thu-vien/nop-tai-lieu/"
    create_allowed = SIGNED_IN
    create_expected = {"title": "Báo cáo nộp: Đánh giá độ mặn sông Hậu", "year": 2024}

    def create_data(self, request):
        return {
            "title": "Báo cáo nộp: Đánh giá độ mặn sông Hậu",
            "abstract": "Tóm tắt",
            "keywords": "độ mặn; sông Hậu",
            "source_type": "report",
            "year": "2024",
            "language": "vie",
            "access": "public",
            "creators_text": "Lê Văn Đăng Ký\nTrần Thị B",
            "file": upload("bao-cao.docx", docx_bytes("Toàn văn báo cáo độ mặn")),
        }

    def check_created(self, document, user):
        assert document.status == DocumentStatus.SUBMITTED and document.submitted_by == user
        assert document.files.count() == 1


class TestPublishedDocument(DetailPageTests):
    def detail_object(self, request):
        return request.getfixturevalue("make_document")(
            "Báo cáo đường Cờ Đỏ", abstract="Khảo sát tuyến đường nông thôn huyện Cờ Đỏ."
        )

    def detail_texts(self, document):
        return [document.title, "Khảo sát tuyến đường nông thôn huyện Cờ Đỏ."]


DEPOSIT_TITLE = "Báo cáo đề tài cấp cơ sở: nuôi tôm càng xanh"


@pytest.fixture
def returned_deposit(registered, editor):
    """A deposit of the registered user, returned to them for changes."""
    document = services.deposit(
        registered, {"title": DEPOSIT_TITLE, "source_type": "report", "language": "vie"}
    )
    services.return_for_changes(editor, document, "Bổ sung tóm tắt")
    return document


class TestDepositPages(DetailPageTests, EditPageTests):
    """A returned deposit: its depositor and the editors see and edit it; for everyone else
    it does not exist."""

    detail_allowed = edit_allowed = {"registered", "editor", "admin_user"}
    detail_refused = edit_refused = dict.fromkeys(EVERYONE, 404)
    edit_expected = {"title": DEPOSIT_TITLE + " (đã bổ sung)", "abstract": "Tóm tắt mới"}

    def detail_object(self, request):
        return request.getfixturevalue("returned_deposit")

    def detail_texts(self, document):
        return [document.title, "Bổ sung tóm tắt"]

    edit_object = detail_object

    def edit_url(self, document):
        return f"/thu-vien/tai-lieu/{document.pk}/sua/"

    def edit_data(self, request, document):
        return catalogue_post(
            title=DEPOSIT_TITLE + " (đã bổ sung)",
            abstract="Tóm tắt mới",
            source_type="report",
            digitization="published",
            creators_text="Lê Thị Đào",
        )


class TestReviewQueue(ListPageTests):
    list_url = "/thu-vien/bien-tap/cho-duyet/"
    list_allowed = STAFF

    def listed(self, request, persona):
        request.getfixturevalue("returned_deposit")
        deposit = services.deposit(
            request.getfixturevalue("registered"),
            {"title": "Chờ duyệt: đánh giá đất phèn", "source_type": "report"},
        )
        return [deposit.title]

    def unlisted(self, request, persona):
        return [DEPOSIT_TITLE]  # returned, not waiting


class TestMyDeposits(ListPageTests):
    """Each user sees their own deposits only."""

    list_url = "/thu-vien/tai-lieu-cua-toi/"
    list_allowed = SIGNED_IN

    def listed(self, request, persona):
        request.getfixturevalue("returned_deposit")
        return [DEPOSIT_TITLE] if persona == "registered" else []

    def unlisted(self, request, persona):
        return [] if persona == "registered" else [DEPOSIT_TITLE]
