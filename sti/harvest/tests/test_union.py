"""The union catalogue after harvesting the two demo partners over loopback: duplicates
across sources shown once with all their sources, the "nguồn" facet beside the center's own
documents, provenance on the record page, never editable, never in the center's own OAI-PMH,
and the editor's registration flow (discovery, then choices)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from sti.harvest import jobs
from sti.harvest.models import HarvestedRecord, Source
from sti.harvest.sample import SHARED, load_partners

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def union(register, editor):
    from sti.library import services as library

    load_partners(40)
    sources = [register("an-giang", name="An Giang"), register("soc-trang", name="Sóc Trăng")]
    for source in sources:
        jobs.harvest(source)
    library.create_document(
        editor,
        {
            "title": "Chuỗi giá trị xoài cát Hòa Lộc ở Cần Thơ",
            "source_type": "report",
            "year": 2024,
            "language": "vie",
        },
        creators=["Lê Văn Địa Phương"],
    )
    return sources


def test_duplicates_across_sources_are_clustered_and_shown_once_with_all_sources(union, client):
    clustered = HarvestedRecord.objects.exclude(cluster=None)
    assert clustered.count() == 2 * SHARED
    assert len(set(clustered.values_list("cluster", flat=True))) == SHARED
    for cluster in set(clustered.values_list("cluster", flat=True)):
        assert set(clustered.filter(cluster=cluster).values_list("source__name", flat=True)) == {
            "An Giang",
            "Sóc Trăng",
        }
    response = client.get("/mang-luoi/", {"type": "harvested", "size": 100})
    html = response.content.decode()
    total = int(re.search(r'data-total="(\d+)"', html).group(1))
    assert total == 80 - SHARED  # 80 harvested records, each shared work once
    shared = HarvestedRecord.objects.get(pk=min(clustered.values_list("cluster", flat=True)))
    article = html.split(f'href="/mang-luoi/ban-ghi/{shared.pk}/"')[1].split("</article>")[0]
    assert "An Giang" in article and "Sóc Trăng" in article


def test_source_facet_filters_by_origin_with_local_documents(union, client):
    html = client.get("/mang-luoi/").content.decode()
    facet = html.split('data-facet="origin"')[1].split("</ul>")[0]
    assert "An Giang" in facet and "Sóc Trăng" in facet and "tài liệu của Trung tâm" in facet
    html = client.get("/mang-luoi/", {"origin": "local", "q": "xoài"}).content.decode()
    assert 'data-total="1"' in html and 'data-type="document"' in html
    an_giang = Source.objects.get(name="An Giang")
    html = client.get("/mang-luoi/", {"origin": f"src:{an_giang.pk}", "type": "harvested"})
    total = int(re.search(r'data-total="(\d+)"', html.content.decode()).group(1))
    assert total == 40


def test_record_page_shows_provenance_and_no_editing(union, client, client_for, editor):
    record = HarvestedRecord.objects.exclude(cluster=None).order_by("pk").first()
    html = client_for(editor).get(record.get_absolute_url()).content.decode()
    assert record.identifier in html and record.datestamp in html and record.url in html
    assert "/sua/" not in html
    members = HarvestedRecord.objects.filter(cluster=record.cluster).exclude(pk=record.pk)
    assert all(m.identifier in html for m in members)
    from django.contrib import admin

    assert HarvestedRecord not in admin.site._registry


def test_harvested_records_never_leave_through_the_centers_own_oai(union, client):
    xml = client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    text = xml.content.decode()
    assert "example.vn" not in text
    assert "Chuỗi giá trị xoài" not in text or "document/" in text


def test_an_editor_registers_a_source_after_seeing_what_it_offers(
    live_server, client_for, editor, partner, fast_harvest
):
    partner(30)
    url = f"{live_server.url}/mang-luoi/doi-tac/an-giang/oai"
    page = client_for(editor)
    step1 = page.post("/mang-luoi/nguon/them/", {"name": "An Giang", "base_url": url})
    html = step1.content.decode()
    assert "Trung tâm Thông tin và Thống kê KH&amp;CN An Giang" in html
    assert "YYYY-MM-DDThh:mm:ssZ" in html and "ket-qua-nghien-cuu" in html
    step2 = page.post(
        "/mang-luoi/nguon/them/",
        {
            "step": "save",
            "name": "An Giang",
            "base_url": url,
            "metadata_prefix": "oai_dc",
            "sets": ["bai-bao"],
            "schedule_hours": 12,
            "delay_seconds": 0.5,
            "active": "on",
        },
    )
    source = Source.objects.get()
    assert step2.status_code == 302 and step2["Location"] == source.get_absolute_url()
    assert (source.sets, source.schedule_hours, source.delay_seconds) == (["bai-bao"], 12, 0.5)
    assert {s["spec"] for s in source.sets_offered} == {"ket-qua-nghien-cuu", "bai-bao", "ban-tin"}
    source.delay_seconds = 0
    source.save()
    run = jobs.harvest(source)
    assert run.added == 10  # only the chosen set: every third record


def test_the_status_check_alerts_when_a_source_has_failed_for_too_long(union, settings):
    from sti.core.registries import ERROR, OK, WARNING
    from sti.harvest import health

    assert health.sources().state == OK
    source = union[0]
    settings.STI_HARVEST_ALERT_DAYS = 3
    Source.objects.filter(pk=source.pk).update(
        failing_since=timezone.now() - timezone.timedelta(days=1), last_error="HTTP 503"
    )
    assert health.sources().state == WARNING
    Source.objects.filter(pk=source.pk).update(
        failing_since=timezone.now() - timezone.timedelta(days=4)
    )
    check = health.sources()
    assert check.state == ERROR and "An Giang" in check.detail and "HTTP 503" in check.detail


def test_the_demo_loads_two_partners_and_harvests_them_over_http(editor, monkeypatch, settings):
    from django.db import transaction

    from sti.harvest import sample

    monkeypatch.setenv("STI_DEMO_URL", "http://127.0.0.1:8183")
    settings.STI_HARVEST_PRIVATE_HOSTS = ["127.0.0.1"]  # as `sti demo` allows its own host
    lines = []
    with transaction.atomic():
        sample.load_sample(lines.append)
    assert Source.objects.count() == 2
    assert HarvestedRecord.objects.count() == 80
    clusters = set(HarvestedRecord.objects.exclude(cluster=None).values_list("cluster", flat=True))
    assert len(clusters) == SHARED
    sample.load_sample(lines.append)  # idempotent
    assert HarvestedRecord.objects.count() == 80 and Source.objects.count() == 2
