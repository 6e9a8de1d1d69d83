"""Periodicals: a published issue becomes one library document (found by the library's
search and harvested by OAI-PMH), republishing updates it and never duplicates it; a
"bản tin chọn lọc" issue is assembled from public records and built as PDF and DOCX."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from sti.core.choices import JobState
from sti.library import services as library
from sti.library.choices import AccessLevel
from sti.library.models import Document
from sti.news import services
from sti.news.choices import IssueStatus
from sti.news.models import Issue
from sti.news.tests.conftest import text_pdf

pytestmark = pytest.mark.django_db
OAI = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
PDF_TEXT = (
    "Bản tin chọn lọc số 7. Mô hình nuôi tôm càng xanh luân canh trên ruộng lúa ở huyện "
    "Thới Lai cho lợi nhuận cao hơn độc canh lúa ba mươi phần trăm."
)


def harvest(client) -> list[etree._Element]:
    response = client.get("/oai?" + urlencode({"verb": "ListRecords", "metadataPrefix": "oai_dc"}))
    assert response.status_code == 200
    return etree.fromstring(response.content).findall(".//o:record", OAI)


def test_published_issue_pdf_is_found_by_library_search_and_oai_once(
    editor, make_issue, client, run_on_commit
):
    """MUST SHOW (issue 13): found by library search and by an OAI-PMH harvest, entered once."""
    with run_on_commit():
        issue = make_issue(7, pdf_text=PDF_TEXT, title="Nông nghiệp thông minh", summary="")
        services.publish_issue(editor, issue)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED and issue.document is not None
    document = issue.document
    assert document.files.get().text.startswith("Bản tin chọn lọc số 7")  # extracted
    assert document.collections.get().name == issue.series.name

    # Library search finds it by a word that is only in the PDF's text, with and without accents.
    for q in ("tôm càng xanh", "tom cang xanh Thoi Lai"):
        html = client.get("/thu-vien/", {"q": q}).content.decode()
        assert f"/thu-vien/tai-lieu/{document.pk}/" in html, q

    # An OAI-PMH harvest lists it once, with its title and the series' collection as a set.
    records = harvest(client)
    ours = [
        r
        for r in records
        if r.findtext(".//o:identifier", namespaces=OAI) == document.oai_identifier
    ]
    assert len(ours) == 1
    assert str(issue) in [t.text for t in ours[0].findall(".//dc:title", OAI)]

    # Publishing again (after a correction) updates the same record: one document, one file.
    with run_on_commit():
        services.update_issue(editor, issue, {"title": "Nông nghiệp thông minh (đính chính)"})
        services.publish_issue(editor, issue)
        services.publish_issue(editor, issue)
    assert Document.objects.count() == 1
    document.refresh_from_db()
    assert document.title.endswith("(đính chính)")
    assert document.files.count() == 1
    assert (
        len(
            [
                r
                for r in harvest(client)
                if r.findtext(".//o:identifier", namespaces=OAI) == document.oai_identifier
            ]
        )
        == 1
    )


def test_a_new_pdf_replaces_the_file_of_the_same_document(editor, make_issue, run_on_commit):
    with run_on_commit():
        # Texts of more than 40 characters a page: a text layer, not a scan to OCR.
        issue = make_issue(8, pdf_text="Bản cũ: thông tin về giống lúa OM18 cho vùng ven biển.")
        services.publish_issue(editor, issue)
        first = Issue.objects.get(pk=issue.pk).document
        new_pdf = SimpleUploadedFile(
            "moi.pdf",
            text_pdf("Bản mới: giống lúa ST25 chịu mặn cho vùng ven biển Sóc Trăng."),
            "application/pdf",
        )
        services.update_issue(editor, issue, {"pdf": new_pdf})
        services.publish_issue(editor, issue)
    issue.refresh_from_db()
    assert issue.document_id == first.pk
    assert [f.text.split(":")[0] for f in first.files.all()] == ["Bản mới"]


def test_an_issue_withdrawn_from_the_library_is_not_revived_silently(
    editor, make_issue, run_on_commit
):
    with run_on_commit():
        issue = make_issue(9, pdf_text="Tổng luận về năng lượng tái tạo.")
        services.publish_issue(editor, issue)
        old = Issue.objects.get(pk=issue.pk).document
        library.withdraw_document(editor, old, note="Trùng")
        services.publish_issue(editor, issue)
    issue.refresh_from_db()
    assert issue.document_id != old.pk
    assert Document.objects.live().count() == 1


@pytest.mark.parametrize(
    "persona", ["anonymous", "registered", "member_a", "reporter_a", "expert_user"]
)
def test_only_editors_publish(request, persona, client_for, make_issue):
    issue = make_issue(3, pdf_text="Bản tin nhanh tuần 12.")
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = client_for(user).post(f"/tin-tuc/an-pham/so/{issue.pk}/phat-hanh/")
    assert response.status_code == (302 if persona == "anonymous" else 403)
    if persona == "anonymous":
        assert "/dang-nhap" in response["Location"] or "login" in response["Location"]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT and issue.document is None
    assert not Document.objects.exists()


def test_editor_publishes_from_the_page(client_for, editor, make_issue, run_on_commit):
    issue = make_issue(4, pdf_text="Chuyên đề chuyển đổi số.")
    with run_on_commit():
        response = client_for(editor).post(f"/tin-tuc/an-pham/so/{issue.pk}/phat-hanh/")
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED and issue.document is not None


def test_an_issue_without_pdf_cannot_be_published(editor, make_issue, client_for):
    issue = make_issue(5)
    response = client_for(editor).post(f"/tin-tuc/an-pham/so/{issue.pk}/phat-hanh/", follow=True)
    assert "chưa có tệp PDF" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


def test_draft_issue_is_hidden_published_is_public(
    client_for, editor, make_issue, member_a, run_on_commit
):
    issue = make_issue(6, pdf_text="Tạp chí số 6.")
    for user in (None, member_a):
        assert client_for(user).get(issue.get_absolute_url()).status_code == 404
        assert client_for(user).get(f"/tin-tuc/an-pham/so/{issue.pk}/tep.pdf").status_code == 404
    assert client_for(editor).get(issue.get_absolute_url()).status_code == 200
    with run_on_commit():
        services.publish_issue(editor, issue)
    response = client_for(None).get(f"/tin-tuc/an-pham/so/{issue.pk}/tep.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_duplicate_issue_number_is_a_clear_error(make_issue):
    from django.core.exceptions import ValidationError

    make_issue(1)
    with pytest.raises(ValidationError) as error:
        make_issue(1)
    assert "đã có số 1" in str(error.value)


# ---------------------------------------------------------------------------
# Assembling a "bản tin chọn lọc" from recent records
# ---------------------------------------------------------------------------
@pytest.fixture
def records(editor, make_library_document, make_task):
    public_doc = make_library_document("Quy trình sản xuất lúa hữu cơ vùng Cờ Đỏ")
    hidden_doc = make_library_document("Báo cáo nội bộ chưa công bố", access=AccessLevel.STAFF)
    return public_doc, hidden_doc, make_task()


@pytest.fixture
def make_library_document(editor):
    def make(title, **data):
        data = {
            "title": title,
            "source_type": "report",
            "year": 2025,
            "language": "vie",
            "abstract": "Tóm tắt: " + title,
            **data,
        }
        return library.create_document(editor, data, creators=["Trần Văn Nam"])

    return make


@pytest.fixture
def make_task(editor, org_a):
    from sti.projects.models import Task

    def make():
        return Task.objects.create(
            title="Ứng dụng IoT giám sát mặn trên sông Hậu",
            host=org_a,
            status="dang_thuc_hien",
            objectives="Xây dựng mạng cảm biến đo độ mặn theo thời gian thực.",
        )

    return make


def test_assembly_lists_only_public_records_and_builds_pdf_and_docx(
    client_for, editor, series, records, run_on_commit
):
    public_doc, hidden_doc, task = records
    page = client_for(editor).get("/tin-tuc/an-pham/tuyen-chon/").content.decode()
    assert f"document:{public_doc.pk}" in page
    assert f"document:{hidden_doc.pk}" not in page  # an editor sees it, the public does not
    data = {
        "series": series.pk,
        "number": 12,
        "year": 2025,
        "issued": "2025-12-20",
        "title": "Nông nghiệp thích ứng biến đổi khí hậu",
        "refs": [f"document:{public_doc.pk}", f"task:{task.pk}"],
    }
    with run_on_commit():
        response = client_for(editor).post("/tin-tuc/an-pham/tuyen-chon/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = Issue.objects.get(number=12)
    assert [item.section for item in issue.items.all()] == ["Tài liệu", "Nhiệm vụ KH&CN"]
    assert issue.build_job.state == JobState.DONE, issue.build_job.error
    assert issue.pdf and issue.docx

    import docx
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(issue.pdf.path)
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "QUY TRÌNH SẢN XUẤT LÚA HỮU CƠ" in text and "Trường Đại học Cần Thơ" in text
    with issue.docx.open("rb") as handle:
        words = "\n".join(p.text for p in docx.Document(io.BytesIO(handle.read())).paragraphs)
    assert "ỨNG DỤNG IOT GIÁM SÁT MẶN" in words.upper()

    # Forged: a record the public may not see is refused even if posted by hand.
    data.update(number=13, refs=[f"document:{hidden_doc.pk}"])
    response = client_for(editor).post("/tin-tuc/an-pham/tuyen-chon/", data)
    assert response.status_code == 200
    assert not Issue.objects.filter(number=13).exists()


@pytest.mark.parametrize("persona", ["registered", "member_a", "reporter_a"])
def test_assembly_is_for_editors(request, persona, client_for):
    user = request.getfixturevalue(persona)
    assert client_for(user).get("/tin-tuc/an-pham/tuyen-chon/").status_code == 403


def test_item_sources_come_from_the_linkable_registry():
    from sti.core import registries

    keys = [item.key for item in registries.linkables() if item.date_field]
    assert keys[:2] == ["document", "task"]
    with pytest.raises(ValueError):
        registries.register_linkable("document", "library.Document", "x")


def test_series_list_keeps_the_charter_order(client, editor, run_on_commit):
    """Counting issues aggregates, and Meta.ordering does not apply to aggregating queries:
    the page orders explicitly (a series with issues must not jump ahead)."""
    from sti.news.models import Series

    journal = Series.objects.get(slug="tap-chi")
    with run_on_commit():
        issue = services.create_issue(
            editor,
            {
                "series": journal,
                "number": 1,
                "year": 2025,
                "issued": __import__("datetime").date(2025, 3, 1),
                "pdf": SimpleUploadedFile("t.pdf", text_pdf("Tạp chí số 1."), "application/pdf"),
            },
        )
        services.publish_issue(editor, issue)
    html = client.get("/tin-tuc/an-pham/").content.decode()
    names = [s.name.replace("&", "&amp;") for s in Series.objects.order_by("order")]
    positions = [html.index(f">{name}<") for name in names]
    assert positions == sorted(positions)
