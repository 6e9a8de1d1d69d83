"""Import (preview = confirm, all or nothing), export in the data file's format, and the
`load_thesaurus` command."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from sti.core.exports import to_xlsx
from sti.core.imports import XLSX_CONTENT_TYPE as XLSX
from sti.core.models import AuditEntry
from sti.core.testing import audit_count
from sti.thesaurus.data import COLUMNS, DATA_FILE, read_rows
from sti.thesaurus.exports import COLUMNS as EXPORT_COLUMNS
from sti.thesaurus.models import Revision, Term

pytestmark = pytest.mark.django_db

HEADER = [header for _key, header in COLUMNS]


def sheet(rows) -> SimpleUploadedFile:
    """An .xlsx made by the shared exporter (the page takes workbooks only)."""
    data = [dict(zip([key for key, _h in COLUMNS], row + [""] * 7, strict=False)) for row in rows]
    return SimpleUploadedFile("tu-moi.xlsx", to_xlsx(EXPORT_COLUMNS, data), XLSX)


def upload(client, rows):
    response = client.post(reverse("thesaurus:import_upload"), {"file": sheet(rows)})
    assert response.status_code == 302, response.context["form"].errors
    return response["Location"]


def test_preview_equals_confirm(client_for, editor):
    client = client_for(editor)
    rows = [
        ["ngô", "bẹ", "Từ địa phương (Nam/Bắc)", "", "401", "Biên soạn", ""],
        ["ngô", "bắp", "regional", "0.75", "", "Biên soạn", "sửa trọng số"],
        ["lúa ma", "lúa hoang", "synonym", "0,6", "", "", ""],
    ]
    preview_url = upload(client, rows)
    before = Term.objects.count()
    audits = audit_count()
    preview = client.get(preview_url)
    result = preview.context["result"]
    assert (result.created, result.updated) == (2, 1)
    assert [row.action for row in result.preview] == ["create", "update", "create"]
    assert Term.objects.count() == before and audit_count() == audits  # nothing written yet
    revision = Revision.objects.get().number
    response = client.post(preview_url, {"action": "confirm"})
    assert response.status_code == 302
    assert Term.objects.count() == before + result.created
    assert Term.objects.get(concept__key="ngô", key="bắp").weight == 0.75
    assert Term.objects.get(concept__key="lúa ma", key="lúa hoang").weight == 0.6
    assert Revision.objects.get().number == revision + 1
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_one_wrong_row_writes_nothing(client_for, editor):
    client = client_for(editor)
    preview_url = upload(
        client,
        [
            ["ngô", "bẹ", "regional", "", "", "", ""],
            ["ngô", "ngô nếp", "họ hàng", "", "", "", ""],
            ["lúa", "lúa gạo", "synonym", "1", "", "", ""],
        ],
    )
    before = Term.objects.count()
    response = client.post(preview_url, {"action": "confirm"})
    assert response.status_code == 200
    errors = [str(error) for error in response.context["result"].errors]
    assert any(e.startswith("Dòng 3: Quan hệ") for e in errors)
    assert any(e.startswith("Dòng 4: Trọng số") for e in errors)
    assert Term.objects.count() == before


def test_import_refused_to_a_reporter(client_for, reporter_a):
    response = client_for(reporter_a).post(
        reverse("thesaurus:import_upload"), {"file": sheet([["ngô", "bẹ", "regional"]])}
    )
    assert response.status_code == 403


def test_export_has_the_data_file_format_and_reimports_unchanged(client_for, editor):
    response = client_for(editor).get(reverse("thesaurus:export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    exported = list(csv.reader(io.StringIO(text)))
    assert exported[0] == HEADER
    assert len(exported) - 1 == Term.objects.count()
    shipped = {(r.concept, r.term, r.relation, r.weight) for r in read_rows()}
    again = {(c, t, rel, float(w)) for c, t, rel, w, *_rest in exported[1:]}
    assert again == shipped
    client = client_for(editor)
    workbook = client.get(reverse("thesaurus:export", args=["xlsx"]))
    content = b"".join(workbook.streaming_content)
    upload_response = client.post(
        reverse("thesaurus:import_upload"),
        {"file": SimpleUploadedFile("xuat.xlsx", content, XLSX)},
    )
    result = client.get(upload_response["Location"]).context["result"]
    assert result.ok and result.created == 0 and result.updated == len(shipped)


def test_export_is_public_reading(client):
    response = client.get(reverse("thesaurus:export", args=["json"]))
    assert response.status_code == 200


def test_load_command_is_idempotent_and_records_the_version(tmp_path):
    call_command("load_thesaurus", stdout=io.StringIO())
    assert Term.objects.count() == len(read_rows())
    newer = tmp_path / "thesaurus.csv"
    newer.write_text(
        DATA_FILE.read_text(encoding="utf-8") + "ngô,bẹ,regional,,,Biên soạn,\n", encoding="utf-8"
    )
    out = io.StringIO()
    call_command("load_thesaurus", str(newer), "--data-version", "2026.12", stdout=out)
    assert "1 mới" in out.getvalue()
    assert Revision.objects.get().data_version == "2026.12"
    assert Term.objects.filter(key="bẹ").exists()
