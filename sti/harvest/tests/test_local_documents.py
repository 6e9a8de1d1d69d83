"""Harvested records that are the same work as one of the center's documents, over loopback:
shown once in the union catalogue, as the document, with the partners that also hold it
("Cũng có tại"), on the document's page too; a similar title of another work stays apart;
a withdrawn document gives its partners' records back to the catalogue."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from sti.core.text import fold
from sti.harvest import jobs
from sti.harvest.models import HarvestedRecord, LocalWork, PartnerRecord

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def matched(partner, register, editor):
    """30 partner records; the center catalogues record 1's work (title without diacritics,
    in capitals, the author as "Họ, Tên") and another work whose title differs by its place."""
    from sti.library import services as library

    partner(30)
    first = PartnerRecord.objects.get(local_id="1").metadata
    title, author = first["title"][0], first["creator"][0]
    family, given = author.split(" ", 1)
    same = library.create_document(
        editor,
        {"title": fold(title).upper(), "source_type": "report", "year": int(first["date"][0])},
        creators=[f"{family}, {given}"],
    )
    place = first["subject"][1]
    other = library.create_document(
        editor,
        {
            "title": title.replace(place, "Cần Thơ"),
            "source_type": "report",
            "year": int(first["date"][0]),
        },
        creators=[author],
    )
    source = register("an-giang", name="An Giang")
    jobs.harvest(source)
    record = HarvestedRecord.objects.get(identifier="oai:an-giang.example.vn:1")
    return {"same": same, "other": other, "record": record, "title": title}


def hits(client, **params) -> tuple[int, str]:
    html = client.get("/mang-luoi/", {"size": 100, **params}).content.decode()
    return int(re.search(r'data-total="(\d+)"', html).group(1)), html


def test_the_same_work_is_shown_once_as_the_document_with_its_partner(matched, client):
    record, same, other = matched["record"], matched["same"], matched["other"]
    assert record.local_document_id == same.pk
    assert HarvestedRecord.objects.exclude(local_document=None).count() == 1
    assert LocalWork.objects.count() == 2
    total, html = hits(client, q=matched["title"])
    assert f'href="/mang-luoi/ban-ghi/{record.pk}/"' not in html
    article = html.split(f'href="{same.get_absolute_url()}"')[1].split("</article>")[0]
    assert "Cũng có tại:" in article and "An Giang" in article
    assert f'href="{other.get_absolute_url()}"' in html
    other_article = html.split(f'href="{other.get_absolute_url()}"')[1].split("</article>")[0]
    assert "Cũng có tại:" not in other_article
    # Every other harvested record is still there, each once.
    total, html = hits(client, type="harvested")
    assert total == 29


def test_the_documents_page_lists_the_partners_that_also_hold_it(matched, client, client_for):
    record, same, other = matched["record"], matched["same"], matched["other"]
    html = client.get(same.get_absolute_url()).content.decode()
    section = html.split('data-related="harvest.also_at"')[1].split("</section>")[0]
    assert "Cũng có tại" in html and "An Giang" in section and record.identifier in section
    assert record.get_absolute_url() in section
    assert (
        'data-related="harvest.also_at"'
        not in client.get(other.get_absolute_url()).content.decode()
    )
    page = client.get(record.get_absolute_url()).content.decode()
    assert "tài liệu của Trung tâm" in page and same.get_absolute_url() in page


def test_a_withdrawn_document_gives_the_record_back_to_the_catalogue(matched, client, editor):
    from sti.library import services as library

    record, same = matched["record"], matched["same"]
    library.withdraw_document(editor, same, note="trùng")
    assert jobs.match_local_documents() >= 1
    record.refresh_from_db()
    assert record.local_document_id is None
    assert not LocalWork.objects.filter(document=same).exists()
    total, html = hits(client, type="harvested")
    assert total == 30 and f'href="/mang-luoi/ban-ghi/{record.pk}/"' in html
    assert jobs.match_local_documents() == 0  # nothing changed since: nothing to do


def test_a_document_catalogued_after_the_harvest_is_matched_by_the_periodic_work(
    partner, register, editor, client
):
    from sti.library import services as library

    partner(10)
    jobs.harvest(register("an-giang", name="An Giang"))
    first = PartnerRecord.objects.get(local_id="2").metadata
    document = library.create_document(
        editor,
        {"title": first["title"][0] + ".", "source_type": "report", "year": int(first["date"][0])},
        creators=[first["creator"][0]],
    )
    assert jobs.match_local_documents() >= 1
    record = HarvestedRecord.objects.get(identifier="oai:an-giang.example.vn:2")
    assert record.local_document_id == document.pk
    total, _html = hits(client, type="harvested")
    assert total == 9


def test_before_any_harvest_the_periodic_work_keeps_no_keys(editor):
    from sti.library import services as library

    library.create_document(
        editor, {"title": "Tài liệu chưa có đối tác", "source_type": "report", "year": 2024}
    )
    assert jobs.match_local_documents() == 0
    assert not LocalWork.objects.exists()


def union(**params) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """The union catalogue's hits (type, pk) and "nguồn" facet counts, as the public sees it."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from sti.harvest.filters import search_union

    query = QueryDict(mutable=True)
    query.update({"size": "100", **params})
    results = search_union(AnonymousUser(), query, page_size=100)["results"]
    counts = {value.value: value.count for value in results.facets.get("origin", [])}
    return [(hit.type, hit.pk) for hit in results.hits], counts


def test_the_partner_facet_finds_the_document_its_record_is_merged_into(matched):
    from sti.harvest.search import origin_value

    same, other, record = matched["same"], matched["other"], matched["record"]
    partner = origin_value(record.source_id)
    hits_, counts = union(origin=partner)
    # The partner's 30 records: 29 shown as themselves, the merged one as the document.
    assert len(hits_) == 30 and ("document", str(same.pk)) in hits_
    assert ("harvested", str(record.pk)) not in hits_
    assert ("document", str(other.pk)) not in hits_
    _hits, counts = union()
    assert counts[partner] == 30 and counts["local"] == 2
    # The bulk path (`sti reindex`) adds the partners too, a batch at a time.
    from sti.search.services import reindex

    reindex(types=["document"])
    assert ("document", str(same.pk)) in union(origin=partner)[0]


def test_a_record_deleted_at_the_partner_takes_its_source_off_the_document(
    matched, partner, editor
):
    from sti.harvest.search import origin_value

    same, record = matched["same"], matched["record"]
    PartnerRecord.objects.filter(local_id="1").update(deleted=True, datestamp=timezone.now())
    source = record.source
    source.refresh_from_db()
    assert jobs.harvest(source).deleted == 1
    hits_, counts = union(origin=origin_value(source.pk))
    assert ("document", str(same.pk)) not in hits_ and counts[origin_value(source.pk)] == 29


def test_a_document_deleted_for_good_gives_its_records_back_at_once(matched):
    from sti.harvest.search import origin_value

    same, record = matched["same"], matched["record"]
    assert ("harvested", str(record.pk)) not in union(q=matched["title"])[0]
    same.delete()  # a hard delete (an editor's purge, a script): no periodic work runs
    record.refresh_from_db()
    assert record.local_document_id is None
    hits_, counts = union(origin=origin_value(record.source_id))
    assert ("harvested", str(record.pk)) in hits_ and len(hits_) == 30
    assert ("document", str(same.pk)) not in hits_ and counts["local"] == 1
