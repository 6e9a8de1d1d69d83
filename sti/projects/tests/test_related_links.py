"""Tasks, their documents, researchers and organizations link to each other, visible ones only."""

from datetime import date

import pytest

from sti.directory.models import Researcher
from sti.library import services as library_services
from sti.projects.choices import MemberRole, TaskStatus
from sti.projects.models import Task, TaskMember

pytestmark = pytest.mark.django_db


def _task(org, lead, hidden, **extra):
    from sti.core.models import TaskLevel

    task = Task.objects.create(
        code="CT.2021.01",
        title="Chọn tạo giống lúa chịu mặn",
        host=org,
        principal=lead,
        level=TaskLevel.objects.filter(version__is_current=True).first(),
        status=TaskStatus.REGISTERED,
        planned_start=date(2021, 1, 1),
        planned_end=date(2023, 12, 31),
        **extra,
    )
    TaskMember.objects.create(task=task, researcher=lead, role=MemberRole.PRINCIPAL)
    TaskMember.objects.create(task=task, researcher=hidden, role=MemberRole.SECRETARY, order=1)
    return task


@pytest.fixture
def linked(org_a, editor):
    lead = Researcher.objects.create(full_name="Trần Văn Bảo", organization=org_a, is_public=True)
    hidden = Researcher.objects.create(full_name="Lê Văn Ẩn", organization=org_a, is_public=False)
    task = _task(org_a, lead, hidden)
    document = library_services.create_document(
        editor,
        {"title": "Báo cáo tổng hợp: lúa chịu mặn", "source_type": "report", "year": 2023},
        creators=["Trần Văn Bảo", "Lê Văn Ẩn"],
    )
    document.organizations.set([org_a])
    task.documents.add(document)
    return task, document, lead, hidden


def _hrefs(html: str, url: str) -> bool:
    return f'href="{url}"' in html


def test_each_detail_page_links_the_others(client, linked, org_a):
    task, document, lead, hidden = linked
    page = client.get(task.get_absolute_url()).content.decode()
    assert _hrefs(page, org_a.get_absolute_url()) and _hrefs(page, lead.get_absolute_url())
    assert _hrefs(page, document.get_absolute_url())
    page = client.get(document.get_absolute_url()).content.decode()
    for url in (task.get_absolute_url(), lead.get_absolute_url(), org_a.get_absolute_url()):
        assert _hrefs(page, url), url
    page = client.get(lead.get_absolute_url()).content.decode()
    assert _hrefs(page, task.get_absolute_url()) and _hrefs(page, document.get_absolute_url())
    page = client.get(org_a.get_absolute_url()).content.decode()
    for url in (task.get_absolute_url(), document.get_absolute_url(), lead.get_absolute_url()):
        assert _hrefs(page, url), url


def test_hidden_profiles_and_records_are_never_linked(client_for, linked, member_a, org_a):
    task, document, lead, hidden = linked
    anonymous = client_for(None)
    for url in (task.get_absolute_url(), document.get_absolute_url()):
        assert not _hrefs(anonymous.get(url).content.decode(), hidden.get_absolute_url()), url
    # A member of the host may open the hidden profile: the link shows for them.
    page = client_for(member_a).get(document.get_absolute_url()).content.decode()
    assert _hrefs(page, hidden.get_absolute_url())
    # A confidential task disappears from the pages of its researcher and organization.
    Task.objects.filter(pk=task.pk).update(is_confidential=True)
    for url in (lead.get_absolute_url(), org_a.get_absolute_url(), document.get_absolute_url()):
        assert not _hrefs(anonymous.get(url).content.decode(), task.get_absolute_url()), url
