"""Filings in the platform search (folded text, unpublished ones for their organization
only), and the migration that moved the task registry's filings into the register."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from sti.ip.choices import FilingStatus, IPKind
from sti.ip.models import Filing
from sti.search import services as search
from sti.search.base import SearchQuery
from sti.search.registry import get_spec


def test_filings_are_found_folded_and_unpublished_ones_stay_private(
    run_on_commit, make_filing, member_a, reporter_b
):
    with run_on_commit():
        make_filing(title="Nước mắm Đồng Tháp", status=FilingStatus.EXAMINED)
        make_filing(title="Nước mắm Đông Hải chưa công bố", status=FilingStatus.FILED)
    query = SearchQuery(text="nuoc mam dong", filters={"type": ["ip_filing"]})
    assert [hit.title for hit in search.search(None, query).hits] == ["Nước mắm Đồng Tháp"]
    assert len(search.search(member_a, query).hits) == 2
    assert len(search.search(reporter_b, query).hits) == 1


def test_search_principals_follow_the_rule(make_filing, org_a):
    spec = get_spec("ip_filing")
    assert spec.document_for(
        make_filing(status=FilingStatus.GRANTED, grant_number="4-1", granted_on=date(2019, 1, 1))
    ).principals == ["public"]
    assert spec.document_for(make_filing(status=FilingStatus.WITHDRAWN)).principals == [
        f"org:{org_a.pk}"
    ]


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_every_task_filing(org_a):
    """Rebuild the task registry's table as it was (projects 0004), fill it, and run the
    copy of `ip.0001_initial` over it: every row arrives, nothing is dropped."""
    from importlib import import_module

    from sti.core.models import TaskLevel
    from sti.projects.models import Task

    migration = import_module("sti.ip.migrations.0001_initial")
    state = MigrationLoader(connection).project_state(("ip", "0001_initial"))
    old_model = state.apps.get_model("projects", "IPFiling")
    level = TaskLevel.objects.get(code="tinh", version__is_current=True)
    task = Task.objects.create(
        code="ĐT-01",
        title="Chọn tạo giống lúa",
        host=org_a,
        level=level,
        planned_start=date(2023, 1, 1),
        planned_end=date(2024, 12, 31),
    )
    with connection.schema_editor() as editor:
        editor.create_model(old_model)
    try:
        old_model.objects.bulk_create(
            [
                old_model(
                    pk=901,
                    task_id=task.pk,
                    kind="gphi",
                    title="Quy trình bao màng chitosan cho bưởi",
                    application_number="2-2023-00412",
                    filed_on=date(2023, 6, 5),
                    applicant="Trường Đại học Cần Thơ",
                    status="tham_dinh",
                ),
                old_model(
                    pk=902,
                    task_id=task.pk,
                    kind="nhan_hieu",
                    title="Dâu Hạ Châu Phong Điền",
                    application_number="4-2021-31025",
                    filed_on=date(2021, 9, 1),
                    applicant="",
                    certificate_number="4-0412345",
                    granted_on=date(2022, 10, 3),
                    status="cap",
                ),
                old_model(
                    pk=903,
                    task_id=None,
                    kind="giong",
                    title="Giống lúa OM 18",
                    applicant="Viện Lúa ĐBSCL",
                    status="rut",
                ),
                old_model(
                    pk=904,
                    task_id=task.pk,
                    kind="nhan_hieu",
                    title="Dâu Hạ Châu (bản sao)",
                    application_number="4-2021-31025",
                    applicant="Nguyễn Văn Tư",
                    status="tu_choi",
                ),
            ]
        )
        with connection.schema_editor() as editor:
            migration.copy_task_filings(state.apps, editor)
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(old_model)
    copied = {filing.pk: filing for filing in Filing.objects.all()}
    assert set(copied) == {901, 902, 903, 904}
    chitosan, dau, variety, copy = (copied[pk] for pk in (901, 902, 903, 904))
    assert (
        chitosan.kind,
        chitosan.status,
        chitosan.task_id,
        chitosan.applicant_organization_id,
    ) == (IPKind.UTILITY, FilingStatus.EXAMINED, task.pk, org_a.pk)
    assert (dau.status, dau.grant_number, dau.granted_on, dau.applicant_organization_id) == (
        FilingStatus.GRANTED,
        "4-0412345",
        date(2022, 10, 3),
        org_a.pk,
    )
    assert (variety.status, variety.applicant_name, variety.task_id) == (
        FilingStatus.WITHDRAWN,
        "Viện Lúa ĐBSCL",
        None,
    )
    # A number the old registry held twice keeps its text and gains the old id.
    assert (copy.application_number, copy.applicant_name, copy.status) == (
        "4-2021-31025 #904",
        "Nguyễn Văn Tư",
        FilingStatus.REFUSED,
    )
    assert chitosan.title_folded.startswith("quy trinh bao mang chitosan")
    # New rows get ids after the copied ones.
    assert Filing.objects.create(kind=IPKind.PATENT, title="Mới", applicant_name="A").pk > 904
