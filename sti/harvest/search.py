"""What the union catalogue puts in the search index: one document per cluster of duplicate
harvested records (its smallest record stands for it), tagged with every source it came from
("origin" facet: "nguồn"), beside the library's own documents (origin "local")."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from sti.harvest.models import HarvestedRecord, Source
from sti.search.base import SearchDocument
from sti.search.highlight import snippet
from sti.search.registry import IndexSpec, register

ORIGIN = "origin"
LOCAL = "local"  # the origin tag of the library's own documents
ABSTRACT_CHARS = 280


def origin_value(source_id: int) -> str:
    return f"src:{source_id}"


def cluster_members(record: HarvestedRecord) -> list[HarvestedRecord]:
    if record.cluster is None:
        return [record]
    return list(
        HarvestedRecord.objects.filter(cluster=record.cluster)
        .select_related("source")
        .order_by("pk")
    )


def record_to_search(record: HarvestedRecord) -> SearchDocument | None:
    if record.cluster is not None and record.cluster != record.pk:
        return None  # shown through its cluster's representative
    members = cluster_members(record)
    creators = list(dict.fromkeys(name for m in members for name in m.creators))
    subtitle = ", ".join(creators[:3]) + (" …" if len(creators) > 3 else "")
    if record.publisher:
        subtitle = f"{subtitle} · {record.publisher}" if subtitle else record.publisher
    body = "\n".join(
        part
        for part in (
            " ; ".join(creators),
            " ; ".join(record.subjects),
            record.description,
            *(m.title for m in members if m.title != record.title),
        )
        if part
    )
    return SearchDocument(
        type="harvested",
        pk=str(record.pk),
        title=record.title,
        body=body,
        url=record.get_absolute_url(),
        subtitle=subtitle,
        year=record.year,
        date=dt.date(record.year, 1, 1) if record.year else record.harvested_at,
        tags=[(ORIGIN, origin_value(s)) for s in sorted({m.source_id for m in members})],
        created=record.harvested_at,
    )


def describe_hits(hits, user, wanted: set[str]) -> None:
    """Authors, an abstract snippet and every source of each hit's cluster: two queries."""
    pks = [int(hit.pk) for hit in hits if hit.pk.isdigit()]
    records = {r.pk: r for r in HarvestedRecord.objects.visible_to(user).filter(pk__in=pks)}
    clusters = {r.cluster for r in records.values() if r.cluster is not None}
    sources: dict[int, list] = {}
    members = (
        HarvestedRecord.objects.visible_to(user)
        .filter(cluster__in=clusters)
        .select_related("source")
        .order_by("pk")
        .only("pk", "cluster", "url", "source__name")
    )
    for member in members:
        sources.setdefault(member.cluster, []).append(member)
    names = dict(
        Source.objects.filter(pk__in={r.source_id for r in records.values()}).values_list(
            "pk", "name"
        )
    )
    for hit in hits:
        record = records.get(int(hit.pk)) if hit.pk.isdigit() else None
        if record is None:
            continue
        origin = sources.get(record.cluster) if record.cluster else None
        hit.details = {
            "authors": record.creators[:3],
            "more_authors": max(0, len(record.creators) - 3),
            "abstract_html": snippet(record.description, wanted, ABSTRACT_CHARS),
            "keywords": record.subjects[:8],
            "publisher": record.publisher,
            "sources": [(m.source.name, m.url) for m in origin]
            if origin
            else [(names.get(record.source_id, ""), record.url)],
        }


register(
    IndexSpec(
        type="harvested",
        label=_("Mục lục liên hợp"),
        model=HarvestedRecord,
        queryset=lambda: HarvestedRecord.objects.all(),
        to_document=record_to_search,
        icon="bi-diagram-3",
        describe=describe_hits,
    )
)
