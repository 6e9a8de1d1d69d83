"""Query-count pins: the union catalogue, a record, the sources and the demo partner's
OAI-PMH list cost the same at 2 and 20 rows."""

from __future__ import annotations

import datetime as dt

import pytest

from sti.core.testing import assert_flat_queries
from sti.harvest import jobs
from sti.harvest.models import HarvestedRecord, HarvestRun, PartnerRecord, Source
from sti.harvest.sample import partner_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(db):
    return [
        Source.objects.create(name=name, base_url=f"http://127.0.0.1:9/{name}/oai")
        for name in ("an-giang", "soc-trang")
    ]


def _records(sources, count, *, cluster=False):
    start = HarvestedRecord.objects.count()
    made = []
    for i in range(count):
        for source in sources if cluster else sources[:1]:
            made.append(
                HarvestedRecord.objects.create(
                    source=source,
                    identifier=f"oai:x:{start + i}",
                    datestamp="2025-01-01T00:00:00Z",
                    title=f"Nghiên cứu giống lúa chịu mặn số {start + i}",
                    creators=["Nguyễn Văn An", "Trần Thị Bích"],
                    year=2020,
                    url=f"https://{source.name}.example.vn/{start + i}",
                )
            )
    if cluster:
        for i in range(0, len(made), 2):
            pair = made[i : i + 2]
            HarvestedRecord.objects.filter(pk__in=[r.pk for r in pair]).update(cluster=pair[0].pk)
    jobs._reindex({r.pk for r in made})
    return made


def test_union_catalogue(client, sources):
    def add(count):
        return [r.title for r in _records(sources, count, cluster=True)][:3]

    assert_flat_queries(client, "/mang-luoi/", add, at_most=5, params={"size": 50})


def test_record_detail(client, sources):
    record = _records(sources, 1, cluster=True)[0]

    def add(count):
        made = []
        for _ in range(count):
            made.append(
                HarvestedRecord.objects.create(
                    source=sources[1],
                    identifier=f"oai:y:{HarvestedRecord.objects.count()}",
                    datestamp="2025-01-02T00:00:00Z",
                    title=record.title,
                    cluster=record.pk,
                )
            )
        return [m.identifier for m in made]

    assert_flat_queries(client, record.get_absolute_url(), add, at_most=4)


def test_source_list(client, editor):
    client.force_login(editor)

    def add(count):
        start = Source.objects.count()
        return [
            Source.objects.create(name=f"Nguồn {start + i}", base_url=f"http://x/{start + i}").name
            for i in range(count)
        ]

    assert_flat_queries(client, "/mang-luoi/nguon/", add, at_most=5)


def test_source_detail(client, editor, sources):
    client.force_login(editor)
    source = sources[0]

    def add(count):
        for _ in range(count):
            HarvestRun.objects.create(source=source, mode="full", added=3)

    assert_flat_queries(client, f"/mang-luoi/nguon/{source.pk}/", add, at_most=7)


def test_partner_oai_list(client):
    def add(count):
        start = PartnerRecord.objects.count()
        rows = partner_records(
            "an-giang", start + count, start=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        )
        PartnerRecord.objects.bulk_create(rows[start:])
        return [f"oai:an-giang.example.vn:{r.local_id}" for r in rows[start:]]

    assert_flat_queries(
        client,
        "/mang-luoi/doi-tac/an-giang/oai",
        add,
        at_most=3,
        params={"verb": "ListRecords", "metadataPrefix": "oai_dc"},
    )
