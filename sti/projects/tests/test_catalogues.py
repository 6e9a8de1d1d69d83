"""Yearly catalogues: DOCX and PDF open, list every expected entry with its diacritics."""

import re
from datetime import date

import pypdfium2
import pytest
from docx import Document as DocxDocument

from sti.core.choices import JobState
from sti.projects import services
from sti.projects.choices import CatalogueKind, TaskStatus
from sti.projects.models import Acceptance, CatalogueBuild, ResultRegistration

RESULTS = [
    ("CT.2023.01", "Đánh giá độ mặn đất ruộng lúa ở huyện Trần Đề", "401", "2023-62/KQNC"),
    ("CT.2023.02", "Ứng dụng nước điện hóa hoạt hóa bảo quản cá tra phi lê", "405", "2023-63/KQNC"),
    ("CT.2023.03", "Khảo sát tỷ lệ tiền đái tháo đường ở người từ 45 tuổi", "302", "2023-64/KQNC"),
]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def year_data(make_task, org_a, org_b):
    for code, title, field, archive in RESULTS:
        task = make_task(
            status=TaskStatus.REGISTERED,
            code=code,
            title=title,
            fields=(field,),
            host=org_b,
            abstract=f"Tóm tắt: {title}. Kết quả đạt yêu cầu đề ra.",
        )
        Acceptance.objects.create(task=task, date=date(2023, 9, 15), rating="dat")
        ResultRegistration.objects.create(task=task, archive_number=archive, status="da_cap_gcn")
    secret = make_task(
        status=TaskStatus.REGISTERED,
        code="MAT.01",
        title="Nhiệm vụ mật không được in",
        is_confidential=True,
    )
    Acceptance.objects.create(task=secret, date=date(2023, 5, 1), rating="dat")
    old = make_task(status=TaskStatus.REGISTERED, code="CT.2019.09", title="Nghiệm thu năm khác")
    Acceptance.objects.create(task=old, date=date(2019, 5, 1), rating="dat")
    make_task(
        status=TaskStatus.IN_PROGRESS,
        title="Đường lối phát triển dừa sáp Cầu Kè",
        host=org_a,
        planned_start=date(2022, 3, 1),
        planned_end=date(2024, 3, 1),
    )
    make_task(status=TaskStatus.PROPOSED, title="Dự thảo không được in")


def test_results_catalogue_docx_and_pdf(
    year_data, editor, django_capture_on_commit_callbacks, org_b
):
    with django_capture_on_commit_callbacks(execute=True):
        build = services.request_catalogue(editor, year=2023, kind=CatalogueKind.RESULTS)
    build.refresh_from_db()
    assert build.state == JobState.DONE, build.message
    assert build.progress == 100 and build.entry_count == 3
    docx_text = _flat("\n".join(p.text for p in DocxDocument(build.docx.path).paragraphs))
    pdf = pypdfium2.PdfDocument(build.pdf.path)
    pdf_text = _flat(" ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
    pdf.close()
    for text in (docx_text, pdf_text):
        assert "KẾT QUẢ CÁC NHIỆM VỤ KH&CN" in text.upper()
        for code, title, _field, archive in RESULTS:
            assert title.upper() in text, title
            assert code in text and f"Số hồ sơ lưu: {archive}" in text
        assert f"Tóm tắt: {RESULTS[0][1]}" in text
        assert "(Đề tài cấp tỉnh/thành phố)" in text
        assert "401. Trồng trọt" in text and "405. Thủy sản" in text
        assert "CHỈ MỤC TỔ CHỨC CHỦ TRÌ" in text and org_b.name in text
        assert "MẬT KHÔNG ĐƯỢC IN" not in text.upper() and "NĂM KHÁC" not in text.upper()
    # Grouped by field code: 302 before 401 before 405.
    assert (
        docx_text.index("302. ")
        < docx_text.index("401. Trồng trọt")
        < docx_text.index("405. Thủy sản")
    )


def test_ongoing_catalogue_prints_only_public_fields(
    year_data, make_task, editor, django_capture_on_commit_callbacks
):
    make_task(
        status=TaskStatus.IN_PROGRESS,
        title="Nhân giống dừa sáp",
        contract_number="HĐ-KHÔNG-IN",
        planned_start=date(2023, 1, 1),
        planned_end=date(2023, 12, 31),
    )
    with django_capture_on_commit_callbacks(execute=True):
        build = services.request_catalogue(editor, year=2023, kind=CatalogueKind.ONGOING)
    build.refresh_from_db()
    text = _flat("\n".join(p.text for p in DocxDocument(build.docx.path).paragraphs))
    assert "ĐƯỜNG LỐI PHÁT TRIỂN DỪA SÁP CẦU KÈ" in text and "NHÂN GIỐNG DỪA SÁP" in text
    assert "Tổ chức chủ trì: Trường Đại học Cần Thơ" in text
    assert "HĐ-KHÔNG-IN" not in text and "DỰ THẢO KHÔNG ĐƯỢC IN" not in text


def test_catalogue_page_shows_progress_and_downloads(
    client_for, editor, year_data, django_capture_on_commit_callbacks
):
    c = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post("/nhiem-vu/an-pham/", {"year": 2023, "kind": CatalogueKind.RESULTS})
    assert response.status_code == 302
    build = CatalogueBuild.objects.get()
    row = c.get(f"/nhiem-vu/an-pham/{build.pk}/trang-thai/").content.decode()
    assert "DOCX" in row and "hx-trigger" not in row
    download = c.get(f"/nhiem-vu/an-pham/{build.pk}/tai-ve.pdf")
    assert download.status_code == 200 and b"".join(download.streaming_content)[:4] == b"%PDF"
    assert (
        client_for(None).post("/nhiem-vu/an-pham/", {"year": 2023, "kind": "results"}).status_code
        == 302
    )
    assert CatalogueBuild.objects.count() == 1


def test_a_catalogue_with_no_entries_is_refused_with_a_warning(client_for, editor, year_data):
    response = client_for(editor).post(
        "/nhiem-vu/an-pham/", {"year": 1999, "kind": CatalogueKind.RESULTS}
    )
    assert response.status_code == 200
    assert "không tạo ấn phẩm rỗng" in response.content.decode()
    assert not CatalogueBuild.objects.exists()
