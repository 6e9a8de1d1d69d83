"""An impossible publication year is refused with the same message by the deposit form, the
editor form, the API and the import preview (ISSUE 9: one record could empty the index)."""

import json

import pytest
from django.utils import timezone

from sti.library.models import Document
from sti.library.tests.test_interop import HEADER, _post_import

pytestmark = pytest.mark.django_db
NEXT_YEAR = timezone.localdate().year + 1


def _deposit_form(year):
    return {
        "title": "Báo cáo: Đánh giá độ mặn sông Hậu",
        "source_type": "report",
        "year": str(year),
        "language": "vie",
        "access": "public",
        "creators_text": "Lê Văn Đăng Ký",
    }


@pytest.mark.parametrize("year", [20244, 999, NEXT_YEAR + 1])
def test_deposit_and_editor_forms_refuse_an_impossible_year(client_for, registered, editor, year):
    page = client_for(registered).post("/thu-vien/nop-tai-lieu/", _deposit_form(year))
    assert page.status_code == 200 and "không hợp lệ" in page.content.decode()
    page = client_for(editor).post("/thu-vien/tai-lieu/moi/", _deposit_form(year))
    assert page.status_code == 200 and "không hợp lệ" in page.content.decode()
    assert not Document.objects.exists()


def test_forms_accept_next_year(client_for, registered):
    page = client_for(registered).post("/thu-vien/nop-tai-lieu/", _deposit_form(NEXT_YEAR))
    assert page.status_code == 302
    assert Document.objects.get().year == NEXT_YEAR


def test_api_refuses_an_impossible_year(client, registered):
    from sti.accounts.tokens import create_token

    token = create_token(registered, "thử")
    response = client.post(
        "/api/library/documents",
        json.dumps({"title": "Đánh giá độ mặn", "year": 20244}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert "20244" in response.content.decode("utf-8")
    assert not Document.objects.exists()


def test_import_preview_refuses_an_impossible_year(client_for, editor):
    sheet = HEADER + "Đánh giá độ mặn,Trần Văn Hậu,,,401,20244,report,vie,public,,,\n"
    preview = _post_import(client_for(editor), sheet, None).content.decode()
    assert "Dòng 2" in preview and "20244" in preview and "không hợp lệ" in preview
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ("T" * 600 + ",Trần Văn Hậu,,,401,2020,report,vie,public,,,", "500"),
        ("Đánh giá độ mặn,Trần Văn Hậu,,,401,2020,report,vie,public,,,", None),
    ],
)
def test_import_preview_runs_the_same_validation_as_confirm(client_for, editor, cells, expected):
    """A preview that passes never fails on confirm (ISSUE 9: a 600-character title)."""
    client = client_for(editor)
    preview = _post_import(client, HEADER + cells + "\n", None).content.decode()
    if expected is None:
        assert "Nhập 1 tài liệu" in preview
        return
    assert "Dòng 2" in preview and expected in preview and "nhan đề" in preview.lower()
    assert "Nhập 1 tài liệu" not in preview
