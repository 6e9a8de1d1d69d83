"""The public intake form: who may send, what is checked, what comes back."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from sti.core.testing import EVERYONE, persona_user
from sti.servicedesk.models import Attachment, ServiceRequest
from sti.servicedesk.tests.conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db
URL = "/yeu-cau-dich-vu/gui/"


def form_data(**extra):
    data = {
        "kind": "technology",
        "subject": "Tìm công nghệ sấy khô chuối bằng năng lượng mặt trời",
        "description": "Cơ sở cần công nghệ sấy 500 kg chuối/ngày, chi phí thấp.",
        "requester_name": "Nguyễn Thị Hoa",
        "requester_organization": "Cơ sở chế biến Hoa Phong Điền",
        "requester_phone": "0939 456 789",
        "requester_email": "hoa@example.vn",
        "desired_deadline": "",
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_everyone_may_send_a_request(request, client_for, persona, run_on_commit):
    user = persona_user(request, persona)
    client = client_for(user)
    assert client.get(URL).status_code == 200
    with run_on_commit():
        response = client.post(URL, form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    req = ServiceRequest.objects.get()
    assert req.requester_id == (user.pk if user else None)
    assert req.status == "received"
    assert response["Location"] == "/yeu-cau-dich-vu/da-gui/"
    ack = client.get(response["Location"])
    assert req.reference in ack.content.decode()
    assert req.get_tracking_url() in ack.content.decode()
    # the e-mail carries the private link
    assert len(mail.outbox) == 1
    assert req.get_tracking_url() in mail.outbox[0].body
    assert mail.outbox[0].to == ["hoa@example.vn"]


def test_reference_numbers_follow_each_other_in_a_year(make_request):
    first, second = make_request(), make_request()
    assert first.number + 1 == second.number
    assert first.reference == f"YC-{first.year}-{first.number:04d}"
    assert second.reference.endswith(f"{second.number:04d}")


def test_signed_in_requester_sees_prefilled_form(client_for, requester):
    content = client_for(requester).get(URL).content.decode()
    assert 'value="Trần Văn Nông"' in content
    assert 'value="nong@example.vn"' in content


def test_an_acknowledgement_needs_the_submitting_session(client, make_request):
    make_request()
    assert client.get("/yeu-cau-dich-vu/da-gui/")["Location"] == URL


def test_honeypot_refuses_robots(client):
    response = client.post(URL, form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


def test_rate_limit_per_client(client, settings):
    settings.STI_SERVICEDESK_RATE = (2, 3600)
    for _ in range(2):
        assert client.post(URL, form_data()).status_code == 302
    response = client.post(URL, form_data())
    assert response.status_code == 429
    assert "nhiều yêu cầu" in response.content.decode()
    assert ServiceRequest.objects.count() == 2
    # another address and session is not affected; nothing about the address is stored
    other = Client(REMOTE_ADDR="203.0.113.7")
    assert other.post(URL, form_data()).status_code == 302
    assert not any("127.0.0.1" in str(v) for v in ServiceRequest.objects.values_list())


def test_consent_is_required(client):
    response = client.post(URL, form_data(consent=""))
    assert response.status_code == 200
    assert "Cần đồng ý" in response.content.decode()
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("requester_email", "khong-phai-email", "Nhập địa chỉ email"),
        ("desired_deadline", "2001-01-01", "quá khứ"),
        ("desired_deadline", "31/02/2026", "Nhập một ngày hợp lệ"),
        ("kind", "tarot", "Hãy chọn"),
        ("requester_phone", "<script>", "chữ số"),
    ],
)
def test_bad_input_gets_a_message(client, field, value, message):
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_attachments_are_checked_by_content(client, media_root):
    good = upload("de-cuong.pdf", pdf_bytes("De cuong"), "application/pdf")
    response = client.post(URL, {**form_data(), "attachments": [good]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.mime_type == "application/pdf"
    assert attachment.original_name == "de-cuong.pdf"
    assert attachment.file.name.startswith("servicedesk/")
    assert "de-cuong" not in attachment.file.name  # stored under a random name


def test_an_executable_named_pdf_is_refused(client):
    fake = upload("bao-gia.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    response = client.post(URL, {**form_data(), "attachments": [fake]})
    assert response.status_code == 200
    assert "bao-gia.pdf" in response.content.decode()
    assert "thực thi" in response.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not Attachment.objects.exists()


def test_too_many_attachments(client):
    files = [upload(f"t{i}.pdf", pdf_bytes(), "application/pdf") for i in range(6)]
    response = client.post(URL, {**form_data(), "attachments": files})
    assert response.status_code == 200
    assert "tối đa 5 tệp" in response.content.decode()


def test_due_date_is_the_wish_or_the_standard(make_request):
    from datetime import timedelta

    from django.utils import timezone

    soon = make_request(kind="information")
    assert soon.due_on == timezone.localdate() + timedelta(days=7)
    later = timezone.localdate() + timedelta(days=30)
    wished = make_request(kind="information", desired_deadline=later)
    assert wished.due_on == later


def test_a_member_gets_their_organization_prefilled(client_for, member_a, org_a):
    content = client_for(member_a).get(URL).content.decode()
    assert f'value="{org_a.name}"' in content


def test_every_attachment_control_is_the_shared_checked_field():
    from sti.core.uploads import CheckedFilesField
    from sti.servicedesk.forms import AnswerForm, IntakeForm, MessageForm

    for form in (IntakeForm(), MessageForm(), AnswerForm()):
        field = form.fields["attachments"]
        assert isinstance(field, CheckedFilesField) and field.max_files == 5
        assert form["attachments"].field.widget.allow_multiple_selected


def test_a_message_file_is_checked_for_the_requester_and_refused_to_others(
    client_for, requester, member_a, handled, media_root
):
    url = f"/yeu-cau-dich-vu/{handled.pk}/trao-doi/"
    fake = upload("ảnh-mẫu.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    own = client_for(requester)
    page = own.post(url, {"body": "Ảnh mẫu đất", "attachments": [fake]})
    assert page.status_code == 302
    shown = own.get(page.url).content.decode()
    assert "ảnh-mẫu.pdf" in shown and "thực thi" in shown  # refused, and told why
    assert not handled.messages.exists()
    good = upload("mẫu-đất.pdf", pdf_bytes("Mau dat"), "application/pdf")
    refused = client_for(member_a).post(url, {"body": "Tin giả", "attachments": [good]})
    assert refused.status_code == 404 and not Attachment.objects.exists()
    good.seek(0)
    sent = own.post(url, {"body": "Ảnh mẫu đất", "attachments": [good]})
    assert sent.status_code == 302
    attachment = handled.messages.get().attachments.get()
    assert (attachment.original_name, attachment.mime_type) == ("mẫu-đất.pdf", "application/pdf")
