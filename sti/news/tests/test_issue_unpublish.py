"""Unpublishing a periodical issue: an editor takes it back to editing (audited, confirmed
on the page); it leaves public view and its library document is withdrawn, so OAI-PMH
reports a deleted record; publishing again makes a new library record."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied
from lxml import etree

from sti.core.models import AuditEntry
from sti.core.statemachine import IllegalMove
from sti.core.testing import LOGIN, assert_refused
from sti.library.choices import DocumentStatus
from sti.library.models import Document
from sti.news import services
from sti.news.choices import IssueStatus
from sti.news.models import Issue

pytestmark = pytest.mark.django_db
OAI = {"o": "http://www.openarchives.org/OAI/2.0/"}
TEXT = "Bản tin chọn lọc số 11: mô hình lúa – tôm ở huyện Thới Lai, Đồng bằng sông Cửu Long."


@pytest.fixture
def published(editor, make_issue, run_on_commit):
    with run_on_commit():
        issue = make_issue(11, pdf_text=TEXT)
        services.publish_issue(editor, issue)
    return Issue.objects.select_related("document").get(pk=issue.pk)


def oai_header(client, document) -> etree._Element:
    query = {"verb": "GetRecord", "metadataPrefix": "oai_dc"}
    query["identifier"] = document.oai_identifier
    response = client.get("/oai?" + urlencode(query))
    return etree.fromstring(response.content).find(".//o:header", OAI)


def unpublish_url(issue) -> str:
    return f"/tin-tuc/an-pham/so/{issue.pk}/go-phat-hanh/"


def test_an_editor_unpublishes_from_the_page(client, client_for, editor, published, run_on_commit):
    document = published.document
    assert oai_header(client, document).get("status") is None
    page = client_for(editor).get(published.get_absolute_url()).content.decode()
    assert unpublish_url(published) in page and 'name="confirmed"' in page

    with run_on_commit():
        response = client_for(editor).post(
            unpublish_url(published), {"confirmed": "1", "note": "Sai số liệu"}
        )
    assert response.status_code == 302
    published.refresh_from_db()
    document.refresh_from_db()
    assert published.status == IssueStatus.DRAFT and published.published_at is None
    assert document.status == DocumentStatus.WITHDRAWN

    # Out of public view: the page, the PDF, the API, library search; OAI says "deleted".
    assert client.get(published.get_absolute_url()).status_code == 404
    assert client.get(f"/tin-tuc/an-pham/so/{published.pk}/tep.pdf").status_code == 404
    assert published.pk not in [i["id"] for i in client.get("/api/news/issues").json()["items"]]
    html = client.get("/thu-vien/", {"q": "lúa tôm Thới Lai"}).content.decode()
    assert f"/thu-vien/tai-lieu/{document.pk}/" not in html
    assert oai_header(client, document).get("status") == "deleted"

    # Audited: the issue's move (with the note) and the document's withdrawal.
    moves = AuditEntry.objects.filter(object_type="news.issue", action="transition")
    last = moves.order_by("-pk").first()
    assert last.changes == {"status": ["published", "draft"]} and last.actor == editor
    assert "Gỡ phát hành" in last.note and "Sai số liệu" in last.note
    assert AuditEntry.objects.filter(
        object_type="library.document",
        object_id=str(document.pk),
        changes__status=["published", "withdrawn"],
    ).exists()

    # Publishing again gives a new library record; the withdrawn one stays withdrawn.
    with run_on_commit():
        services.publish_issue(editor, published)
    published.refresh_from_db()
    assert published.status == IssueStatus.PUBLISHED and published.published_at is not None
    assert published.document_id != document.pk
    assert Document.objects.live().count() == 1


def test_the_page_asks_for_confirmation(client_for, editor, published):
    response = client_for(editor).post(unpublish_url(published), follow=True)
    assert "xác nhận" in response.content.decode().lower()
    published.refresh_from_db()
    assert published.status == IssueStatus.PUBLISHED
    assert published.document.status == DocumentStatus.PUBLISHED


@pytest.mark.parametrize("persona", ["anonymous", "registered", "member_a", "reporter_a"])
def test_only_editors_unpublish(request, client_for, published, persona):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = client_for(user).post(unpublish_url(published), {"confirmed": "1"})
    assert_refused(response, LOGIN if user is None else 403)
    page = client_for(user).get(published.get_absolute_url()).content.decode()
    assert unpublish_url(published) not in page
    published.refresh_from_db()
    assert published.status == IssueStatus.PUBLISHED
    assert published.document.status == DocumentStatus.PUBLISHED
    if user is not None:
        with pytest.raises(PermissionDenied):
            services.unpublish_issue(user, published)


def test_a_draft_cannot_be_unpublished(editor, make_issue, client_for):
    issue = make_issue(12, pdf_text=TEXT)
    with pytest.raises(IllegalMove):
        services.unpublish_issue(editor, issue)
    page = client_for(editor).get(issue.get_absolute_url()).content.decode()
    assert unpublish_url(issue) not in page
