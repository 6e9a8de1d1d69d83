"""Deposit and review by role, audited catalogue edits, usage statistics without IPs,
item page metadata (Highwire, JSON-LD, citations) and the API."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection

from sti.core.models import AuditEntry
from sti.library import services
from sti.library.choices import DocumentStatus
from sti.library.models import Document, UsageMonth
from sti.library.tests.conftest import docx_bytes, text_pdf, upload

pytestmark = pytest.mark.django_db
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}


def _deposit(client, title="Báo cáo nộp: Đánh giá độ mặn sông Hậu"):
    return client.post(
        "/thu-vien/nop-tai-lieu/",
        {
            "title": title,
            "abstract": "Tóm tắt",
            "keywords": "độ mặn; sông Hậu",
            "source_type": "report",
            "year": "2024",
            "language": "vie",
            "access": "public",
            "creators_text": "Lê Văn Đăng Ký\nTrần Thị B",
            "file": upload("bao-cao.docx", docx_bytes("Toàn văn báo cáo độ mặn")),
        },
    )


def test_deposit_goes_to_review_and_editor_decides(
    registered, editor, client_for, client, run_on_commit
):
    researcher = client_for(registered)
    with run_on_commit():
        response = _deposit(researcher)
    assert response.status_code == 302
    document = Document.objects.get(title__startswith="Báo cáo nộp")
    assert document.status == DocumentStatus.SUBMITTED and document.submitted_by == registered
    assert document.files.count() == 1
    # Not public yet: anonymous visitors and other users do not see it; the depositor does.
    assert client.get(document.get_absolute_url()).status_code == 404
    assert researcher.get(document.get_absolute_url()).status_code == 200
    assert "Báo cáo nộp" not in client.get("/thu-vien/", {"q": "sông Hậu"}).content.decode()
    assert "Báo cáo nộp" in researcher.get("/thu-vien/", {"q": "sông Hậu"}).content.decode()
    # Only editors see the queue and decide.
    assert researcher.get("/thu-vien/bien-tap/cho-duyet/").status_code == 403
    assert client.get("/thu-vien/bien-tap/cho-duyet/").status_code == 302
    assert (
        researcher.post(
            f"/thu-vien/tai-lieu/{document.pk}/duyet/", {"decision": "accept"}
        ).status_code
        == 403
    )
    queue = client_for(editor).get("/thu-vien/bien-tap/cho-duyet/").content.decode()
    assert document.title in queue

    # Returned with a comment: the depositor sees it, edits and resubmits.
    client_for(editor).post(
        f"/thu-vien/tai-lieu/{document.pk}/duyet/",
        {"decision": "return", "comment": "Bổ sung số hồ sơ lưu"},
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.RETURNED
    assert "Bổ sung số hồ sơ lưu" in researcher.get(document.get_absolute_url()).content.decode()
    researcher.post(f"/thu-vien/tai-lieu/{document.pk}/nop-lai/")
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED

    with run_on_commit():
        client_for(editor).post(
            f"/thu-vien/tai-lieu/{document.pk}/duyet/", {"decision": "accept", "comment": "Đạt"}
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED and document.published_at
    assert client.get(document.get_absolute_url()).status_code == 200
    assert "Báo cáo nộp" in client.get("/thu-vien/", {"q": "song hau"}).content.decode()
    transitions = AuditEntry.objects.filter(
        object_type="library.document", object_id=str(document.pk), action="transition"
    )
    assert transitions.count() == 3


def test_return_needs_a_comment_and_reject_is_final(registered, editor):
    document = services.deposit(registered, {"title": "Nộp thử", "source_type": "report"})
    with pytest.raises(Exception, match="ý kiến"):
        services.return_for_changes(editor, document, "  ")
    with pytest.raises(services.PermissionDenied):
        services.accept(registered, document)
    services.reject(editor, document, "Trùng lặp")
    document.refresh_from_db()
    assert document.status == DocumentStatus.REJECTED
    with pytest.raises(Exception, match="Không thể chuyển"):
        services.accept(editor, document)


def test_usage_counts_views_and_downloads_without_visitor_data(
    editor, make_document, client_for, client, run_on_commit
):
    with run_on_commit():
        document = make_document("Thống kê lượt xem")
        file = services.add_file(editor, document, upload("a.docx", docx_bytes("x y z")))
    for _ in range(3):
        client.get(document.get_absolute_url(), REMOTE_ADDR="203.0.113.9", **BROWSER)
    client.get(f"/thu-vien/tep/{file.pk}/", REMOTE_ADDR="203.0.113.9", **BROWSER)
    # HEAD answers the download's headers and is not counted as a download.
    head = client.head(f"/thu-vien/tep/{file.pk}/", **BROWSER)
    assert head.status_code == 200 and head["Content-Disposition"].startswith("attachment")
    assert client.post(f"/thu-vien/tep/{file.pk}/").status_code == 405
    client.get(
        document.get_absolute_url(), HTTP_USER_AGENT="Googlebot/2.1"
    )  # robots are not counted
    usage = UsageMonth.objects.get(document=document)
    assert (usage.views, usage.downloads) == (3, 1)
    # No column anywhere in the library's tables holds the visitor's address.
    with connection.cursor() as cursor:
        for table in ("library_usagemonth", "library_document", "library_documentfile"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            assert "203.0.113.9" not in repr(cursor.fetchall())
    page = client.get(document.get_absolute_url(), **BROWSER).content.decode()
    assert re.search(r"4 lượt xem · 1 lượt tải", page)
    report = client_for(editor).get("/thu-vien/bien-tap/thong-ke/").content.decode()
    assert "Thống kê lượt xem" in report
    assert client.get("/thu-vien/bien-tap/thong-ke/").status_code == 302


def test_item_page_has_scholar_tags_json_ld_and_citations(
    editor, make_document, client, run_on_commit
):
    with run_on_commit():
        document = make_document(
            "Ứng dụng màng bao chitosan bảo quản bưởi Năm Roi",
            creators=("Lâm Thanh Trung", "Châu Kim Yến"),
            source_type="article",
            source="Tạp chí KH&CN Cần Thơ, số 2",
            doi="10.1234/ctu.2024.5",
            year=2024,
            keywords="chitosan; bưởi",
        )
        services.add_file(
            editor, document, upload("bai-bao.pdf", text_pdf("Chitosan bưởi Năm Roi"))
        )
    html = client.get(document.get_absolute_url()).content.decode()
    assert (
        '<meta name="citation_title" content="Ứng dụng màng bao chitosan bảo quản bưởi Năm Roi">'
        in html
    )
    assert html.count('name="citation_author"') == 2
    assert '<meta name="citation_journal_title" content="Tạp chí KH&amp;CN Cần Thơ, số 2">' in html
    assert 'name="citation_pdf_url" content="http://testserver/thu-vien/tep/' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "ScholarlyArticle" and data["author"][1]["name"] == "Châu Kim Yến"
    assert data["sameAs"] == "https://doi.org/10.1234/ctu.2024.5"
    assert "Lâm Thanh Trung, &amp; Châu Kim Yến (2024)" in html  # APA
    assert "?xem=1" in html  # PDF viewer link
    viewer = client.get(f"/thu-vien/tep/{document.files.get().pk}/?xem=1")
    assert (
        viewer["Content-Disposition"].startswith("inline")
        and viewer["Content-Type"] == "application/pdf"
    )


def test_file_status_partial_reports_progress(editor, make_document, client_for):
    document = make_document("Đang chờ")
    file = services.add_file(
        editor, document, upload("a.docx", docx_bytes("x"))
    )  # on_commit not run: still queued
    html = client_for(editor).get(f"/thu-vien/tep/{file.pk}/trang-thai/").content.decode()
    assert 'hx-trigger="every 2s"' in html and "Đang chờ" in html


def test_api_deposit_and_upload_with_token(registered, client):
    from sti.accounts.tokens import create_token

    token = create_token(registered, "thử")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.post(
        "/api/library/documents",
        data=json.dumps(
            {
                "title": "Nộp qua API: Đường Cần Thơ",
                "creators": ["Lê Văn Đăng Ký"],
                "fields": ["401"],
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["fields"] == ["401"]
    assert (
        client.post(
            "/api/library/documents", data="{}", content_type="application/json"
        ).status_code
        == 401
    )
    up = client.post(
        f"/api/library/documents/{body['id']}/files",
        {"file": upload("a.docx", docx_bytes("Đường"))},
        **headers,
    )
    assert up.status_code == 201 and up.json()["mime_type"].endswith("wordprocessingml.document")
    bad = client.post(
        f"/api/library/documents/{body['id']}/files",
        {"file": upload("x.pdf", b"MZ" + b"\0" * 50)},
        **headers,
    )
    assert bad.status_code == 400 and "thực thi" in bad.json()["detail"]
    # Anonymous readers cannot see the deposit yet.
    assert client.get(f"/api/library/documents/{body['id']}").status_code == 404


def test_editor_and_depositor_pages_render(editor, registered, make_document, client_for):
    document = make_document("Trang biên tập")
    editor_client = client_for(editor)
    for url in (
        "/thu-vien/tai-lieu/moi/",
        f"/thu-vien/tai-lieu/{document.pk}/sua/",
        "/thu-vien/bien-tap/nhap/",
        "/thu-vien/bien-tap/nhap-marc/",
        "/thu-vien/bien-tap/tep-can-kiem-tra/",
        "/thu-vien/bo-suu-tap/",
        "/thu-vien/duyet/field/",
        "/thu-vien/duyet/source_type/",
        "/thu-vien/duyet/language/",
    ):
        assert editor_client.get(url).status_code == 200, url
    for url in ("/thu-vien/nop-tai-lieu/", "/thu-vien/tai-lieu-cua-toi/"):
        assert client_for(registered).get(url).status_code == 200, url
        assert client_for(None).get(url).status_code == 302, url
    assert client_for(registered).get("/thu-vien/bien-tap/nhap/").status_code == 403
    assert client_for(None).get("/thu-vien/duyet/khong-co/").status_code == 404


def test_failed_job_details_are_for_editors_only(editor, make_document, client_for):
    from sti.core.models import TrackedJob

    document = make_document("Công khai", access="public", status="published")
    file = services.add_file(editor, document, upload("a.docx", docx_bytes("x")))
    TrackedJob.objects.for_target(file).update(
        state="failed", error="/srv/sti/var/files/ab/cd: lỗi đọc"
    )
    for_editor = client_for(editor).get(f"/thu-vien/tep/{file.pk}/trang-thai/").content.decode()
    assert "/srv/sti/var/files" in for_editor
    for_visitor = client_for(None).get(f"/thu-vien/tep/{file.pk}/trang-thai/").content.decode()
    assert "/srv/sti/var/files" not in for_visitor and "biên tập viên đã được báo" in for_visitor


def test_only_the_depositor_resubmits_and_only_editors_review(registered, member_a, editor):
    from sti.core.statemachine import MoveForbidden
    from sti.library import lifecycle

    document = services.deposit(registered, {"title": "Báo cáo Đồng Tháp", "source_type": "report"})
    services.return_for_changes(editor, document, "Bổ sung tóm tắt")
    with pytest.raises(MoveForbidden):
        services.resubmit(member_a, document)
    assert {m.target for m in lifecycle.DOCUMENT.available_moves(member_a, document)} == set()
    services.resubmit(registered, document)
    with pytest.raises(MoveForbidden):
        services.accept(member_a, document)
    assert document.status == DocumentStatus.SUBMITTED
