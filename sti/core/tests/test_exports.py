"""The shared tabular export: CSV, XLSX and JSON, formula-safe, with Vietnamese text."""

import csv
import io
import json
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404
from openpyxl import load_workbook

from sti.core import exports
from sti.core.exports import ExportColumn

COLUMNS = [
    ExportColumn("title", "Tên nhiệm vụ"),
    ("host", "Tổ chức chủ trì"),
    ("budget", "Kinh phí (triệu đồng)"),
    ("start", "Bắt đầu"),
]
ROWS = [
    {
        "title": "Đánh giá độ mặn sông Hậu",
        "host": "Trường Đại học Cần Thơ",
        "budget": Decimal("450.50"),
        "start": date(2024, 3, 1),
    },
    {"title": '=HYPERLINK("http://evil.example","Bấm")', "host": "+84 292", "budget": None},
    {"title": "-2+3", "host": "@SUM(A1)", "start": None},
    {"title": "\tẩn", "host": "\rđầu dòng"},
    {"title": unicodedata.normalize("NFD", "Đồng Tháp"), "host": "ĐHCT"},
]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def test_csv_has_a_bom_a_header_and_no_formula():
    text = exports.to_csv(COLUMNS, ROWS)
    assert text.startswith("\ufeffTên nhiệm vụ,Tổ chức chủ trì,")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == ["Đánh giá độ mặn sông Hậu", "Trường Đại học Cần Thơ", "450.5", "2024-03-01"]
    assert rows[2][0] == "'" + ROWS[1]["title"] and rows[2][1] == "'+84 292"
    assert not [cell for row in rows for cell in row if cell.startswith(DANGEROUS)]
    # What the shared importer reads back is what was exported.
    assert [exports.restore_cell(row[0]) for row in rows[1:4]] == [r["title"] for r in ROWS[:3]]


def test_xlsx_writes_text_never_formulas_and_readable_widths():
    book = load_workbook(
        io.BytesIO(exports.to_xlsx(COLUMNS, ROWS, sheet_title="Nhiệm vụ: 2024/25"))
    )
    sheet = book.active
    assert sheet.title == "Nhiệm vụ 202425"
    assert [c.value for c in sheet[1]] == [
        "Tên nhiệm vụ",
        "Tổ chức chủ trì",
        "Kinh phí (triệu đồng)",
        "Bắt đầu",
    ]
    assert sheet["A3"].value == ROWS[1]["title"] and sheet["A3"].data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["C2"].value == 450.5
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    assert all(exports.MIN_WIDTH <= width <= exports.MAX_WIDTH for width in widths)
    assert widths[0] > widths[3]  # the long titles get the wide column
    assert sheet.freeze_panes == "A2"


def test_json_keeps_values_and_unicode():
    data = json.loads(exports.to_json(COLUMNS, ROWS))
    assert data[0] == {
        "title": "Đánh giá độ mặn sông Hậu",
        "host": "Trường Đại học Cần Thơ",
        "budget": 450.5,
        "start": "2024-03-01",
    }
    assert data[1]["title"].startswith("=HYPERLINK")  # JSON is data, not a spreadsheet
    assert "Đồng Tháp" in exports.to_json(COLUMNS, ROWS[4:])


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_empty_input_gives_a_header_only_file(fmt):
    content, content_type = exports.render(COLUMNS, [], fmt)
    assert content and content_type == exports.FORMATS[fmt]
    if fmt == "json":
        assert json.loads(content) == []


def test_huge_input_streams_without_building_the_rows():
    def rows():
        for n in range(50_000):
            yield {"title": f"Nhiệm vụ số {n} – Đắk Lắk", "host": "=1+1"}

    response = exports.export_response(COLUMNS, rows(), "csv", "nhiem-vu", stream=True)
    chunks = iter(response.streaming_content)
    first = b"".join(next(chunks) for _ in range(3)).decode("utf-8")
    assert first.startswith("\ufeffTên nhiệm vụ") and "'=1+1" in first
    assert sum(1 for _ in chunks) == 49_999


@pytest.mark.parametrize("stream", [False, True])
def test_responses_name_the_file_in_ascii_and_utf8(stream):
    response = exports.export_response(COLUMNS, ROWS, "xlsx", "Nhiệm vụ Đồng Tháp", stream=stream)
    disposition = response["Content-Disposition"]
    assert 'filename="nhiem-vu-dong-thap.xlsx"' in disposition
    assert "filename*=UTF-8''Nhi%E1%BB%87m%20v%E1%BB%A5" in disposition
    assert response["Content-Type"] == exports.FORMATS["xlsx"]
    with pytest.raises(Http404):
        exports.export_response(COLUMNS, ROWS, "xls", "x")


@pytest.mark.parametrize("value", [" =1+1", '\n=HYPERLINK("x")', "＝1+1", "  @SUM(A1)", "\t-2"])
def test_formulas_behind_spaces_or_in_full_width_are_neutralised(value):
    from sti.core.exports import neutralize_cell, restore_cell

    assert neutralize_cell(value) == "'" + value
    assert restore_cell(neutralize_cell(value)) == value
    assert neutralize_cell("Cần Thơ = 1") == "Cần Thơ = 1"
