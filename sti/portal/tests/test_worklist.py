"""The editor's worklist: every app's queues with counts, the longest wait and a link."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

URL = "/viec-can-lam/"


@pytest.fixture
def waiting_work(org_a):
    from sti.library.choices import DocumentStatus, SourceType
    from sti.library.models import Document
    from sti.projects.choices import ProposalStatus
    from sti.projects.models import Proposal

    for title in ("Báo cáo tổng kết đề tài lúa chịu mặn", "Kỷ yếu hội thảo Đồng bằng"):
        Document.objects.create(
            title=title, source_type=SourceType.REPORT, status=DocumentStatus.SUBMITTED
        )
    Document.objects.create(title="Đã duyệt", source_type=SourceType.REPORT)
    ten_days_ago = timezone.now() - timedelta(days=10)
    Proposal.objects.create(
        title="Nghiên cứu giống lúa chịu mặn (viết lại)",
        organization=org_a,
        status=ProposalStatus.SEARCHED,
        flagged=True,
        submitted_at=ten_days_ago,
    )
    Proposal.objects.create(
        title="Đề xuất không trùng", organization=org_a, status=ProposalStatus.SUBMITTED
    )


def _rows(html: str) -> dict[str, str]:
    """queue key -> its count, read from the table's data attributes."""
    import re

    return dict(re.findall(r'data-queue="([^"]+)" data-count="(\d+)"', html))


def test_editor_sees_every_queue_with_count_age_and_link(client_for, editor, waiting_work):
    response = client_for(editor).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    rows = _rows(html)
    assert rows["library.deposits"] == "2"
    assert rows["projects.flagged_proposals"] == "1"
    assert rows["library.files"] == "0"
    assert rows["projects.registrations_overdue"] == "0"
    assert "10 ngày" in html  # the flagged proposal has waited ten days
    assert 'href="/thu-vien/bien-tap/cho-duyet/"' in html
    assert 'href="/nhiem-vu/de-xuat/?flagged=1"' in html
    # The former dropdown's tools are listed here, and the dropdown only links to this page.
    assert "Nhập biểu ghi MARC" in html and "Nhật ký thao tác" in html
    assert "Việc cần làm" in html


def test_worklist_in_english(client_for, editor, waiting_work):
    client = client_for(editor)
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    html = client.get(URL).content.decode()
    assert "Worklist" in html and "Documents awaiting review" in html
    assert "Việc cần làm" not in html and "Tài liệu chờ duyệt" not in html


@pytest.mark.parametrize("persona", ["registered", "member_a"])
def test_worklist_is_refused_to_non_editors(client_for, request, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(URL).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client_for):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert "/tai-khoan/" in response["Location"]


def test_editor_dropdown_is_one_link_to_the_worklist(client_for, editor, registered):
    html = client_for(editor).get("/").content.decode()
    assert f'href="{URL}"' in html
    assert "Nhập biểu ghi MARC" not in html  # no longer a long dropdown
    assert f'href="{URL}"' not in client_for(registered).get("/").content.decode()


def test_a_registered_url_that_does_not_exist_fails_the_system_check(monkeypatch):
    from sti.core import registries
    from sti.portal.checks import registered_urls_resolve

    assert registered_urls_resolve() == []
    monkeypatch.setattr(registries, "_queues", dict(registries._queues))
    registries.register_work_queue("typo", "Hàng đợi", lambda user: None, "library:reveiw_queue")
    errors = registered_urls_resolve()
    assert [error.id for error in errors] == ["portal.E001"]
    assert "library:reveiw_queue" in errors[0].msg
