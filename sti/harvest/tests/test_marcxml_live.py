"""MARCXML from a live partner: the second instance on loopback offers `marcxml` beside
oai_dc; a source set to it harvests every record once, over pages, read with pymarc into the
same fields as the partner's Dublin Core gives, then an incremental harvest brings exactly
the changes and deletions."""

from __future__ import annotations

import pytest
import requests
from django.utils import timezone

from sti.harvest import client, jobs
from sti.harvest.choices import HarvestMode, RunOutcome
from sti.harvest.models import HarvestedRecord, PartnerRecord
from sti.harvest.sample import load_partners, partner_records

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FIELDS = [*jobs.COMPARED[2:], "title_key", "author_key", "title_head"]


def test_the_partner_offers_marcxml_and_serves_marc_records(live_server, partner):
    partner(3)
    url = f"{live_server.url}/mang-luoi/doi-tac/an-giang/oai"
    formats = requests.get(url, {"verb": "ListMetadataFormats"}, timeout=10).text
    assert "<metadataPrefix>marcxml</metadataPrefix>" in formats
    assert "http://www.loc.gov/MARC21/slim" in formats
    xml = requests.get(
        url, {"verb": "ListRecords", "metadataPrefix": "marcxml"}, timeout=10
    ).content.decode()
    assert xml.count("<marc:record") == 3 and 'tag="245"' in xml
    bad = requests.get(url, {"verb": "ListRecords", "metadataPrefix": "mods"}, timeout=10).text
    assert 'code="cannotDisseminateFormat"' in bad


def test_a_marcxml_source_harvests_the_same_fields_as_dublin_core_then_the_changes(
    partner, register
):
    load_partners(40)  # with DOIs and folded titles (the demo's shared works)
    PartnerRecord.objects.bulk_create(partner_records("an-giang", 120)[40:])  # 3 pages
    rows = {r.local_id: r for r in PartnerRecord.objects.filter(repository="an-giang")}
    source = register("an-giang", name="An Giang (MARC)", metadata_prefix="marcxml")
    assert "marcxml" in {f["prefix"] for f in source.formats_offered}
    run = jobs.harvest(source)
    n = len(rows)
    assert (run.outcome, run.mode, run.seen, run.added, run.errors) == (
        RunOutcome.SUCCEEDED,
        HarvestMode.FULL,
        n,
        n,
        0,
    )
    assert run.pages == -(-n // 50)
    harvested = {r.identifier.rsplit(":", 1)[1]: r for r in HarvestedRecord.objects.all()}
    assert set(harvested) == set(rows)
    with_doi = 0
    for local_id, row in rows.items():
        expected = client.read_dc(row.metadata)
        got = harvested[local_id]
        assert {f: getattr(got, f) for f in FIELDS} == {f: expected[f] for f in FIELDS}, local_id
        with_doi += bool(got.doi)
    assert with_doi == 4  # the shared works given with their DOI

    now = timezone.now()
    changed = rows["5"]
    changed.metadata["title"] = [changed.metadata["title"][0] + " (bản sửa)"]
    changed.datestamp = now
    changed.save()
    PartnerRecord.objects.filter(repository="an-giang", local_id__in=["6", "7"]).update(
        deleted=True, datestamp=now
    )
    source.refresh_from_db()
    run = jobs.harvest(source)
    assert (run.mode, run.seen, run.added, run.updated, run.deleted, run.errors) == (
        HarvestMode.INCREMENTAL,
        3,
        0,
        1,
        2,
        0,
    )
    assert HarvestedRecord.objects.count() == n - 2
    title = HarvestedRecord.objects.get(identifier="oai:an-giang.example.vn:5").title
    assert title.endswith("(bản sửa)")
