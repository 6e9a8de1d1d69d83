"""Excel import: template, upload checks, preview with row errors, all-or-nothing writes."""

import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sti.core import files, imports
from sti.core.models import AuditEntry
from sti.directory.models import Organization, Researcher

pytestmark = pytest.mark.django_db

ORG_HEADERS = [
    "Tên tổ chức *",
    "Tên viết tắt",
    "Mã định danh / MST",
    "Loại hình tổ chức *",
    "Loại hình kinh tế",
    "Lĩnh vực",
    "Ngày QĐ thành lập",
    "Đơn vị hành chính",
    "Điện thoại",
]
PEOPLE_HEADERS = [
    "Họ và tên *",
    "Giới tính",
    "Năm sinh",
    "Học vị",
    "Học hàm",
    "Tổ chức",
    "Lĩnh vực",
    "Từ khóa chuyên môn",
    "Thư điện tử",
    "ORCID",
    "Công khai",
    "Chuyên gia",
]


def xlsx(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, kind, content, name="danh-sach.xlsx"):
    return client.post(
        reverse("directory:import_upload", args=[kind]), {"file": SimpleUploadedFile(name, content)}
    )


@pytest.fixture
def editor_client(client_for, editor):
    return client_for(editor)


GOOD_ORGS = [
    [
        "Công ty TNHH Chế biến Nông sản Phong Điền",
        "",
        "1801234567",
        "Doanh nghiệp",
        "Ngoài nhà nước",
        "211, 40107",
        "15/03/2015",
        "926",
        2923812345,
    ],
    [
        unicodedata.normalize("NFD", "Hợp tác xã Nông nghiệp Mỹ Xuyên"),
        "",
        "",
        "cooperative",
        "",
        "401",
        "",
        "",
        "",
    ],
    [
        "Trường Đại học Cần Thơ",
        "ĐHCT",
        "",
        "Trường đại học, học viện",
        "Nhà nước",
        "4",
        "",
        "Thành phố Cần Thơ",
        "",
    ],
]


def test_template_download(editor_client, registered, client_for):
    url = reverse("directory:import_template", args=["to-chuc"])
    assert client_for(registered).get(url).status_code == 403
    response = editor_client.get(url)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in workbook["Dữ liệu"][1]]
    assert headers[0] == "Tên tổ chức *"
    assert "Loại hình tổ chức *" in headers
    assert "Hướng dẫn" in workbook.sheetnames
    people = editor_client.get(reverse("directory:import_template", args=["nha-khoa-hoc"]))
    assert [c.value for c in load_workbook(io.BytesIO(people.content))["Dữ liệu"][1]][
        0
    ] == "Họ và tên *"


def test_organization_import_preview_then_confirm(editor_client, editor, org_a):
    response = upload(editor_client, "to-chuc", xlsx(ORG_HEADERS, GOOD_ORGS))
    assert response.status_code == 302
    preview = editor_client.get(response["Location"])
    result = preview.context["result"]
    assert result.ok, [str(error) for error in result.errors]
    assert [(row.row, row.action) for row in result.preview] == [
        (2, "create"),
        (3, "create"),
        (4, "update"),
    ]
    assert Organization.objects.count() == 1  # nothing written before confirmation
    done = editor_client.post(response["Location"], {"action": "confirm"})
    assert done.status_code == 302
    assert Organization.objects.count() == 3
    firm = Organization.objects.get(identifier="1801234567")
    assert firm.kind == "enterprise" and firm.sector == "non_state"
    assert firm.founding_decision_date.isoformat() == "2015-03-15"
    assert firm.phone == "02923812345"  # the leading zero Excel dropped is restored
    assert sorted(firm.fields.values_list("code", flat=True)) == ["211", "40107"]
    assert firm.admin_unit.name == "Huyện Phong Điền"
    coop = Organization.objects.get(name="Hợp tác xã Nông nghiệp Mỹ Xuyên")  # NFD in, NFC stored
    assert coop.sector == "state"  # empty cell: the model's default
    org_a.refresh_from_db()
    assert list(org_a.fields.values_list("code", flat=True)) == ["4"]
    notes = AuditEntry.objects.filter(actor=editor).values_list("note", flat=True)
    assert any("dòng 3" in note for note in notes)
    # The stash is gone: confirming again leads back to the upload page.
    assert editor_client.post(response["Location"], {"action": "confirm"}).status_code == 302
    assert Organization.objects.count() == 3


def test_preview_on_one_web_host_confirmed_on_another(
    each_storage, client_for, editor, admin_user, settings, tmp_path
):
    """Several web hosts behind a balancer: the upload and preview reach web A, the
    confirmation web B (its own data folder); the file is staged on the shared storage."""
    settings.DATA_DIR = tmp_path / "web-a"
    editor_client = client_for(editor)
    response = upload(editor_client, "to-chuc", xlsx(ORG_HEADERS, GOOD_ORGS[:2]))
    assert editor_client.get(response["Location"]).context["result"].ok
    settings.DATA_DIR = tmp_path / "web-b"
    # Another user (an administrator, allowed to import) cannot confirm this upload.
    refused = client_for(admin_user).post(response["Location"], {"action": "confirm"})
    assert refused["Location"] == reverse("directory:import_upload", args=["to-chuc"])
    assert Organization.objects.count() == 0
    done = editor_client.post(response["Location"], {"action": "confirm"})
    assert done.status_code == 302 and Organization.objects.count() == 2


def test_one_bad_row_writes_nothing(editor_client):
    rows = GOOD_ORGS[:2] + [
        ["Viện Không Rõ", "", "", "Loại lạ", "", "999", "31/02/2020", "", ""],
        ["Công ty trùng mã", "", "1801234567", "Doanh nghiệp", "", "", "", "", ""],
    ]
    response = upload(editor_client, "to-chuc", xlsx(ORG_HEADERS, rows))
    preview = editor_client.get(response["Location"])
    messages = [str(error) for error in preview.context["result"].errors]
    content = preview.content.decode()
    assert any(m.startswith("Dòng 4: Loại hình tổ chức") and "Loại lạ" in m for m in messages)
    assert any(m.startswith("Dòng 4: Lĩnh vực") and "999" in m for m in messages)
    assert any(m.startswith("Dòng 4: Ngày QĐ thành lập") for m in messages)
    assert any(m.startswith("Dòng 5: Mã định danh 1801234567 trùng với dòng 2") for m in messages)
    assert "Dòng 4" in content and "Xác nhận nhập" not in content
    # Forcing the confirmation anyway writes nothing.
    editor_client.post(response["Location"], {"action": "confirm"})
    assert Organization.objects.count() == 0


def test_failure_during_write_rolls_back_everything(editor_client, monkeypatch):
    from sti.directory import services

    response = upload(editor_client, "to-chuc", xlsx(ORG_HEADERS, GOOD_ORGS[:2]))
    original = services.create_organization
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(services, "create_organization", failing)
    with pytest.raises(RuntimeError):
        editor_client.post(response["Location"], {"action": "confirm"})
    assert Organization.objects.count() == 0
    assert not AuditEntry.objects.exists()


def test_wrong_file_type_is_rejected(editor_client):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
    response = upload(editor_client, "to-chuc", pdf, name="danh-sach.xlsx")
    assert response.status_code == 200
    assert "không phải bảng tính Excel" in response.content.decode()
    # A zip that is not a workbook.
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    response = upload(editor_client, "to-chuc", buffer.getvalue())
    assert "không phải bảng tính Excel" in response.content.decode()
    # CSV renamed to .xlsx.
    response = upload(
        editor_client, "to-chuc", "Tên tổ chức,Loại hình\nA,B\n".encode(), name="a.xlsx"
    )
    assert "không phải bảng tính Excel" in response.content.decode()


def test_oversized_file_is_rejected(editor_client, monkeypatch):
    from sti.core import imports

    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 1000)
    response = upload(editor_client, "to-chuc", xlsx(ORG_HEADERS, GOOD_ORGS))
    assert response.status_code == 200
    assert "Tệp quá lớn" in response.content.decode()


def test_missing_required_column(editor_client):
    response = upload(
        editor_client, "to-chuc", xlsx(["Tên tổ chức", "Địa chỉ"], [["Viện A", "Cần Thơ"]])
    )
    preview = editor_client.get(response["Location"])
    assert any("Loại hình tổ chức" in error for error in preview.context["result"].file_errors)


def test_stash_belongs_to_its_uploader(editor_client, client_for, admin_user, registered, settings):
    response = upload(editor_client, "to-chuc", xlsx(ORG_HEADERS, GOOD_ORGS))
    location = response["Location"]
    # Another editor cannot see or confirm someone else's upload.
    other = client_for(admin_user)
    assert other.get(location).status_code == 302
    other.post(location, {"action": "confirm"})
    assert client_for(registered).post(location, {"action": "confirm"}).status_code == 403
    assert Organization.objects.count() == 0
    token = location.rstrip("/").rsplit("/", 1)[1]
    staged = f"{imports.STASH_FOLDER}{token}.xlsx"
    assert files.exists(staged)
    # Cancelling removes the stashed file.
    editor_client.post(location, {"action": "cancel"})
    assert not files.exists(staged)


def test_import_refused_for_non_editors(client_for, registered, reporter_a):
    for user in (registered, reporter_a):
        response = upload(client_for(user), "to-chuc", xlsx(ORG_HEADERS, GOOD_ORGS))
        assert response.status_code == 403
    assert upload(client_for(None), "to-chuc", xlsx(ORG_HEADERS, GOOD_ORGS)).status_code == 302
    assert not (Organization.objects.filter(identifier="1801234567").exists())


# ---------------------------------------------------------------------------
# Researchers
# ---------------------------------------------------------------------------
def test_researcher_import(editor_client, org_a, org_b, public_researcher):
    Organization.objects.filter(pk=org_b.pk).update(identifier="1800000001")
    Researcher.objects.filter(pk=public_researcher.pk).update(email="tthuong@ctu.edu.vn")
    rows = [
        [
            unicodedata.normalize("NFD", "Nguyễn Văn Đức"),
            "Nam",
            1978,
            "Tiến sĩ",
            "PGS",
            "dai hoc can tho",
            "406, 401",
            unicodedata.normalize("NFD", "lúa chịu mặn, chỉ thị phân tử"),
            "NVDuc@ctu.edu.vn",
            "0000-0002-1825-0097",
            "Có",
            "x",
        ],
        ["Lê Thị Lan", "nữ", "", "ThS", "", "1800000001", "", "", "", "", "", ""],
        [
            "Trần Thị Thanh Hương",
            "",
            "",
            "",
            "",
            "ĐHCT",
            "",
            "",
            "TTHUONG@ctu.edu.vn",
            "",
            "",
            "Không",
        ],
    ]
    response = upload(editor_client, "nha-khoa-hoc", xlsx(PEOPLE_HEADERS, rows))
    preview = editor_client.get(response["Location"])
    result = preview.context["result"]
    assert result.ok, [str(error) for error in result.errors]
    assert [row.action for row in result.preview] == ["create", "create", "update"]
    assert result.preview[2].changed == ["Là chuyên gia"]
    editor_client.post(response["Location"], {"action": "confirm"})
    duc = Researcher.objects.get(email="nvduc@ctu.edu.vn")
    assert duc.full_name == "Nguyễn Văn Đức" and unicodedata.is_normalized("NFC", duc.expertise)
    assert duc.degree == "TS" and duc.academic_title == "PGS" and duc.organization == org_a
    assert duc.is_public and duc.is_expert and duc.birth_year == 1978
    assert Researcher.objects.get(full_name="Lê Thị Lan").organization == org_b
    public_researcher.refresh_from_db()
    assert not public_researcher.is_expert
    assert public_researcher.expertise == "cá tra, bệnh gan thận mủ"  # empty cell kept the value


def test_researcher_import_errors(editor_client, org_a):
    Organization.objects.create(name="Trường Đại học Cần Thơ", kind="university")  # same name twice
    rows = [
        [
            "Nguyễn Văn A",
            "Nam",
            1850,
            "TS",
            "",
            "Trường Đại học Cần Thơ",
            "",
            "",
            "a@x.vn",
            "",
            "",
            "",
        ],
        [
            "Nguyễn Văn B",
            "khác",
            "năm 80",
            "Cử nhân",
            "",
            "Viện Không Có",
            "",
            "",
            "a@x.vn",
            "",
            "có lẽ",
            "",
        ],
        ["", "", "", "", "", "", "", "", "", "", "", ""],  # an empty row is skipped
        ["", "Nam", 1980, "", "", "", "", "", "", "", "", ""],
    ]
    response = upload(editor_client, "nha-khoa-hoc", xlsx(PEOPLE_HEADERS, rows))
    messages = [
        str(error) for error in editor_client.get(response["Location"]).context["result"].errors
    ]
    joined = "\n".join(messages)
    assert "Dòng 2: Tổ chức: “Trường Đại học Cần Thơ” ứng với nhiều tổ chức" in joined
    assert "Dòng 2: Năm sinh: Năm sinh phải trong khoảng" in joined
    assert "Dòng 3: Giới tính: “khác”" in joined
    assert "Dòng 3: Năm sinh: “năm 80”" in joined
    assert "Dòng 3: Học vị: “Cử nhân”" in joined
    assert "Dòng 3: Tổ chức: không tìm thấy “Viện Không Có”" in joined
    assert "Dòng 3: Thư điện tử a@x.vn trùng với dòng 2" in joined
    assert "Dòng 3: Công khai" in joined
    assert any(m.startswith("Dòng 5: Họ và tên") for m in messages)
    assert not any(m.startswith("Dòng 4") for m in messages)
    editor_client.post(response["Location"], {"action": "confirm"})
    assert not Researcher.objects.exists()


def test_identifier_known_in_database_updates_that_organization(editor_client, org_hospital):
    rows = [
        [
            "Bệnh viện Đa khoa TW Cần Thơ",
            "BVĐKTW",
            "1800000315",
            "hospital",
            "",
            "302, 303",
            "",
            "",
            "",
        ]
    ]
    response = upload(editor_client, "to-chuc", xlsx(ORG_HEADERS, rows))
    result = editor_client.get(response["Location"]).context["result"]
    assert [(row.action, row.label) for row in result.preview] == [
        ("update", "Bệnh viện Đa khoa TW Cần Thơ")
    ]
    editor_client.post(response["Location"], {"action": "confirm"})
    org_hospital.refresh_from_db()
    assert Organization.objects.count() == 1
    assert (
        org_hospital.name == "Bệnh viện Đa khoa TW Cần Thơ"
        and org_hospital.abbreviation == "BVĐKTW"
    )
    assert sorted(org_hospital.fields.values_list("code", flat=True)) == ["302", "303"]


def test_imported_records_are_indexed_after_commit(editor_client, run_on_commit):
    from sti.search import services as search_services
    from sti.search.base import SearchQuery

    response = upload(editor_client, "to-chuc", xlsx(ORG_HEADERS, GOOD_ORGS[:2]))
    with run_on_commit():
        editor_client.post(response["Location"], {"action": "confirm"})
    hits = search_services.search(None, SearchQuery(text="hop tac xa my xuyen")).hits
    assert [hit.title for hit in hits][:1] == ["Hợp tác xã Nông nghiệp Mỹ Xuyên"]


def test_an_import_writes_one_summary_audit_row(editor_client, editor):
    content = xlsx(
        ["Tên tổ chức", "Loại hình tổ chức"],
        [["Viện Lúa Đồng bằng sông Cửu Long", "Viện, trung tâm nghiên cứu"]],
    )
    preview = upload(editor_client, "to-chuc", content)
    editor_client.post(preview["Location"], {"action": "confirm"})
    entry = AuditEntry.objects.get(action="import")
    assert entry.changes["count"] == 1 and entry.changes["kind"] == "organization"
    assert entry.changes["file"] == "danh-sach.xlsx"
