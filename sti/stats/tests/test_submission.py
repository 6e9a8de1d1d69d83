"""Filling a form online, by Excel and by the API: one parsing, one validation, one store."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from sti.accounts.tokens import create_token
from sti.core.exports import neutralize_cell
from sti.core.models import AuditEntry
from sti.core.statemachine import IllegalMove
from sti.stats import services, workbook
from sti.stats.choices import SubmissionStatus
from sti.stats.models import Submission, SubmissionValue
from sti.stats.tests.conftest import personnel_values

pytestmark = pytest.mark.django_db


def fill_workbook(data: bytes, values: dict) -> bytes:
    """What a reporter's script does: open the downloaded workbook, find each value's row by
    its code (column B) and its column by the hidden key row, type the value, save."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    keys = []
    for row in sheet.iter_rows():
        if row[0].value == workbook.KEYS_MARK:
            keys = [c.value for c in row]
            continue
        code = row[1].value if len(row) > 1 else None
        for key, value in values.items():
            indicator, _sep, option = key.partition("|")
            if indicator == code:
                column = keys.index(option or "total")
                cell = row[column]
                cell.value = typed(value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def typed(value: str):
    """A value as Excel keeps what is typed: numbers as numbers, text as text (a text that
    starts like a formula typed with its apostrophe)."""
    try:
        number = float(value)
    except ValueError:
        return neutralize_cell(value)
    return int(number) if number.is_integer() else number


def upload(client, submission, data: bytes, name="bieu.xlsx"):
    """Upload (preview), then confirm with the staged token when the preview offers one."""
    url = f"/thong-ke/bao-cao/{submission.pk}/tai-len/"
    preview = client.post(url, {"workbook": _file(data, name)})
    token = preview.context.get("token") if preview.context else None
    if token:
        client.post(url, {"token": token})
    return preview


def _file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def grid_post(values: dict) -> dict:
    return {f"c:{key}": value for key, value in values.items()}


ORGANIZATION_VALUES = {
    "01.01": "123/QĐ-UBND",
    "01.02": "8.7",
    "01.03": "=13.2 tổ chức NC&PT",  # a value a spreadsheet would run as a formula
    "01.10": "60",
    "01.10|gender.nam": "35",
    "01.10|gender.nu": "25",
    "01.11": "4",
    "01.13": "12500.5",
}


def test_excel_round_trip_stores_what_the_online_form_stores(
    submissions, org_a, org_b, reporter_a, reporter_b, client_for
):
    """A fills 01 and 02 online; B downloads its workbooks, a script types the same values,
    B uploads them: the stored values are identical, cell for cell."""
    online, offline = client_for(reporter_a), client_for(reporter_b)
    for number, values in (("01", ORGANIZATION_VALUES), ("02", personnel_values())):
        mine, theirs = submissions[(org_a.pk, number)], submissions[(org_b.pk, number)]
        response = online.post(mine.get_absolute_url(), grid_post(values))
        assert response.status_code == 302
        data = offline.get(f"/thong-ke/bao-cao/{theirs.pk}/excel/").content
        preview = upload(offline, theirs, fill_workbook(data, values))
        assert preview.context["token"], preview.context.get("errors")
        mine.refresh_from_db()
        theirs.refresh_from_db()
        assert mine.values == theirs.values
        assert mine.values  # not two empty drafts
        assert theirs.source == "excel"
    assert mine.values["02.01|qual.TS"] == "5"
    a01 = submissions[(org_a.pk, "01")]
    a01.refresh_from_db()
    assert a01.values["01.03"] == "=13.2 tổ chức NC&PT"
    assert a01.values["01.13"] == "12500.5"


def test_generated_workbook_carries_the_draft(sub_a, reporter_a, client_for):
    services.save_values(reporter_a, sub_a, personnel_values())
    data = client_for(reporter_a).get(f"/thong-ke/bao-cao/{sub_a.pk}/excel/").content
    grid_read = workbook.read_workbook(
        io.BytesIO(data),
        sub_a,
        __import__("sti.stats.layout", fromlist=["build"]).build(sub_a.form),
    )
    assert grid_read.file_errors == []
    assert {
        k: str(v) for k, v in grid_read.raw.items() if v not in (None, "")
    } == personnel_values()


def _bad_personnel():
    values = personnel_values()
    values["02.01|qual.DH"] = "21"  # 5 + 10 + 21 + 5 = 41 ≠ 40
    values["02.04"] = "-2"  # a negative count
    values["02.04|qual.DH"] = "-2"
    values["02.03"] = "40"
    values["02.03|qual.DH"] = "20"
    values["02.06|qual.ThS"] = "70"  # R&D staff 75 > 60 people in form 01
    values["02.06"] = "75"
    return values


def test_invalid_upload_points_at_cells_and_stores_nothing(
    submissions, org_a, reporter_a, client_for
):
    client = client_for(reporter_a)
    form01, form02 = submissions[(org_a.pk, "01")], submissions[(org_a.pk, "02")]
    services.save_values(reporter_a, form01, ORGANIZATION_VALUES)
    data = client.get(f"/thong-ke/bao-cao/{form02.pk}/excel/").content
    before_audit = AuditEntry.objects.count()
    preview = upload(client, form02, fill_workbook(data, _bad_personnel()))
    errors = preview.context["errors"]
    text = "\n".join(errors)
    assert "token" not in preview.context
    # the breakdown that does not add up, at the total cell of row 02.01 (column C)
    assert any(e.startswith("Ô C") and "Tổng số" in e and "41" in e for e in errors), text
    # the negative count, at its own cell
    assert any("không được âm" in e and "-2" in e and e.startswith("Ô ") for e in errors), text
    # the cross-form rule: R&D staff in 02 > staff in 01
    assert any("biểu 01" in e and "75" in e and "60" in e for e in errors), text
    form02.refresh_from_db()
    assert form02.values == {}
    assert AuditEntry.objects.count() == before_audit
    # the service refuses the same file, whoever calls it
    with pytest.raises(services.InvalidValues):
        services.apply_upload(reporter_a, form02, io.BytesIO(fill_workbook(data, _bad_personnel())))
    form02.refresh_from_db()
    assert form02.values == {}


def test_upload_of_another_organizations_workbook_is_refused(
    submissions, org_a, org_b, reporter_a, editor, client_for
):
    theirs = submissions[(org_b.pk, "02")]
    data = client_for(editor).get(f"/thong-ke/bao-cao/{theirs.pk}/excel/").content
    mine = submissions[(org_a.pk, "02")]
    preview = upload(client_for(reporter_a), mine, fill_workbook(data, personnel_values()))
    assert "token" not in preview.context
    assert any("không phải biểu" in e for e in preview.context["errors"])
    mine.refresh_from_db()
    assert mine.values == {}


def test_online_draft_shows_the_message_at_the_failing_cell(sub_a, reporter_a, client_for):
    client = client_for(reporter_a)
    values = personnel_values()
    values["02.01|qual.DH"] = "21"
    client.post(sub_a.get_absolute_url(), grid_post(values))
    page = client.get(sub_a.get_absolute_url())
    html = page.content.decode()
    cell = html.index('name="c:02.01"')
    tag_start = html.rindex("<input", 0, cell)
    assert "is-invalid" in html[tag_start : html.index(">", cell)]
    assert "phải bằng tổng các cột trình độ (41)" in html
    # a draft keeps rule errors, but cannot be submitted with them
    sub_a.refresh_from_db()
    assert sub_a.values["02.01|qual.DH"] == "21"
    client.post(f"/thong-ke/bao-cao/{sub_a.pk}/nop/")
    sub_a.refresh_from_db()
    assert sub_a.status == SubmissionStatus.DRAFT
    assert not sub_a.versions.exists()


def test_unreadable_value_is_never_stored(sub_a, reporter_a, client_for):
    values = personnel_values()
    values["02.01"] = "bốn mươi"
    response = client_for(reporter_a).post(sub_a.get_absolute_url(), grid_post(values))
    assert response.status_code == 400
    assert "không phải là số" in response.content.decode()
    sub_a.refresh_from_db()
    assert sub_a.values == {} or sub_a.source == "prefill"


@pytest.mark.parametrize(
    ("typed", "message"),
    [("1e309", "không phải là số"), ("4e1", "không phải là số"), ("9" * 26, "quá lớn")],
)
def test_absurd_numbers_are_refused(sub_a, reporter_a, client_for, typed, message):
    values = personnel_values()
    values["02.01"] = typed
    response = client_for(reporter_a).post(sub_a.get_absolute_url(), grid_post(values))
    assert response.status_code == 400
    assert message in response.content.decode()
    sub_a.refresh_from_db()
    assert sub_a.values.get("02.01") != typed


def test_submit_freezes_versions_and_review_cycle(sub_a, reporter_a, editor, client_for):
    services.save_values(reporter_a, sub_a, personnel_values())
    v1 = services.submit_submission(reporter_a, sub_a)
    assert v1.number == 1 and v1.values == personnel_values()
    assert SubmissionValue.objects.filter(version=v1).count() == len(personnel_values())
    with pytest.raises(PermissionDenied):
        services.save_values(reporter_a, sub_a, {"02.01": "1"})
    # a reporter may not accept his own report
    with pytest.raises(PermissionDenied):
        services.review_submission(reporter_a, sub_a, accept=True)
    # returning needs a comment
    with pytest.raises(IllegalMove):
        services.review_submission(editor, sub_a, accept=False, note="")
    services.review_submission(editor, sub_a, accept=False, note="Kiểm tra lại số tiến sĩ.")
    sub_a.refresh_from_db()
    assert sub_a.status == SubmissionStatus.RETURNED
    assert sub_a.review_note == "Kiểm tra lại số tiến sĩ."
    values = personnel_values()
    values.update({"02.01": "41", "02.01|qual.TS": "6", "02.03": "39", "02.03|qual.TS": "6"})
    services.save_values(reporter_a, sub_a, values)
    v2 = services.submit_submission(reporter_a, sub_a)
    assert v2.number == 2
    v1.refresh_from_db()
    assert v1.values == personnel_values()  # the first version is untouched
    services.review_submission(editor, sub_a, accept=True)
    sub_a.refresh_from_db()
    assert sub_a.status == SubmissionStatus.ACCEPTED
    page = client_for(reporter_a).get(f"/thong-ke/bao-cao/{sub_a.pk}/so-sanh/?a=1&b=2")
    rows = {row["key"]: (row["old"], row["new"]) for row in page.context["rows"]}
    assert rows == {
        "02.01": ("40", "41"),
        "02.01|qual.TS": ("5", "6"),
        "02.03": ("38", "39"),
        "02.03|qual.TS": ("5", "6"),
    }
    transitions = AuditEntry.objects.filter(object_type="stats.submission", action="transition")
    assert transitions.count() == 4


def test_api_stores_with_the_same_validation(sub_a, reporter_a, client):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(reporter_a, 'thống kê')}"}
    url = f"/api/stats/submissions/{sub_a.pk}/values"
    bad = personnel_values()
    bad["02.01|qual.DH"] = "21"
    response = client.put(
        url, json.dumps({"values": bad}), content_type="application/json", **headers
    )
    assert response.status_code in (400, 422)
    body = response.json()
    assert {"loc": ["body", "02.01"]}.items() <= body["errors"][0].items()
    sub_a.refresh_from_db()
    assert sub_a.values == {}
    good = {**personnel_values(), "02.01": 40}
    response = client.put(
        url,
        json.dumps({"values": good, "submit": True}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["submission"]["status"] == "submitted"
    sub_a.refresh_from_db()
    assert sub_a.versions.get().values == personnel_values()


def test_prefill_from_the_directory(regime, period, forms, org_a, editor):
    from sti.directory.models import Researcher

    Researcher.objects.create(
        full_name="Trần Thị Hoa",
        organization=org_a,
        gender="female",
        degree="TS",
        academic_title="PGS",
    )
    Researcher.objects.create(
        full_name="Lê Văn Nam", organization=org_a, gender="male", degree="ThS"
    )
    Researcher.objects.create(full_name="Ngô Đức", organization=org_a, gender="male", degree="")
    services.assign_forms(editor, period, [org_a], [forms["02"]])
    submission = Submission.objects.get(organization=org_a, form=forms["02"])
    assert submission.values == {
        "02.01": "3",
        "02.01|qual.TS": "1",
        "02.01|qual.ThS": "1",
        "02.01|qual.KHAC": "1",
        "02.01|title.PGS": "1",
        "02.02": "1",
        "02.02|qual.TS": "1",
        "02.02|title.PGS": "1",
    }
    assert "02.01" in submission.prefilled


def test_the_state_table_itself_refuses_invalid_values(sub_a, reporter_a):
    """Even a caller that skips the service's check cannot submit failing values."""
    from sti.stats.lifecycle import SUBMISSION

    values = personnel_values()
    values["02.01|qual.DH"] = "21"
    services.save_values(reporter_a, sub_a, values)
    with pytest.raises(IllegalMove, match="lỗi"):
        SUBMISSION.move(reporter_a, sub_a, SubmissionStatus.SUBMITTED)
    sub_a.refresh_from_db()
    assert sub_a.status == SubmissionStatus.DRAFT


def test_an_untouched_form_opens_without_required_errors(
    submissions, org_a, reporter_a, client_for
):
    """Empty cells are not mistakes until the reporter saves: then they are pointed at."""
    expenditure = submissions[(org_a.pk, "03")]
    client = client_for(reporter_a)
    assert "là bắt buộc" not in client.get(expenditure.get_absolute_url()).content.decode()
    client.post(expenditure.get_absolute_url(), grid_post({"03.02": "5"}))
    assert "là bắt buộc" in client.get(expenditure.get_absolute_url()).content.decode()
