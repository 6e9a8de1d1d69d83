"""What the union catalogue puts in the search index: one document per cluster of duplicate
harvested records (its smallest record stands for it), tagged with every source it came from
("origin" facet: "nguồn"), beside the library's own documents (origin "local"). A cluster
that is the same work as one of the center's documents is not indexed: the document stands
for it, lists the partners that also hold it (`also_at`), and carries them as "nguồn" values
in the index (`partner_tags`), so that filtering by a partner finds it and the facet counts
it."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from sti.core.registries import RelatedLink
from sti.harvest.models import HarvestedRecord, Source
from sti.library.models import Document
from sti.search.base import SearchDocument
from sti.search.highlight import snippet
from sti.search.registry import IndexSpec, register, register_tags

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
    if record.local_document_id is not None:
        return None  # the same work as one of the center's documents: shown as that document
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


def also_at(user, document_pks) -> dict[int, list[HarvestedRecord]]:
    """The harvested records (sources selected) that are the same work as each of these
    documents, as `user` may see them: one query."""
    found: dict[int, list[HarvestedRecord]] = {}
    records = (
        HarvestedRecord.objects.visible_to(user)
        .filter(local_document__in=list(document_pks))
        .select_related("source")
        .order_by("source__name", "pk")
    )
    for record in records:
        found.setdefault(record.local_document_id, []).append(record)
    return found


def describe_local_hits(hits, user) -> None:
    """Adds to each hit of a center's document the partners that also hold it."""
    pks = [int(hit.pk) for hit in hits if hit.type == "document" and hit.pk.isdigit()]
    found = also_at(user, pks) if pks else {}
    for hit in hits:
        if hit.type == "document" and hit.pk.isdigit() and int(hit.pk) in found:
            hit.details["also_at"] = [(r.source.name, r.url) for r in found[int(hit.pk)]]


def local_document_of(record: HarvestedRecord, user) -> Document | None:
    """The center's document this record is the same work as, if `user` may see it."""
    if record.local_document_id is None:
        return None
    return Document.objects.visible_to(user).filter(pk=record.local_document_id).first()


def related_also_at(document, user) -> list[RelatedLink]:
    """The "Cũng có tại" section of a center's document page."""
    return [
        RelatedLink(record.source.name, record.get_absolute_url(), record.identifier)
        for record in also_at(user, [document.pk]).get(document.pk, [])
    ]


def partner_tags(pks: list[str]) -> dict[str, list[tuple[str, str]]]:
    """The "nguồn" values of a batch of the center's documents: the sources of the harvested
    records that are the same work (one query)."""
    ids = [int(pk) for pk in pks if str(pk).isdigit()]
    found: dict[str, list[tuple[str, str]]] = {}
    rows = (
        HarvestedRecord.objects.filter(local_document__in=ids)
        .order_by("local_document", "source")
        .values_list("local_document", "source")
        .distinct()
    )
    for document, source in rows:
        found.setdefault(str(document), []).append((ORIGIN, origin_value(source)))
    return found


register_tags(
    "document",
    partner_tags,
    # A record saved or deleted one by one (a source removed with its records); the harvest
    # writes in bulk and reindexes the documents whose partners changed itself (jobs.py).
    dependencies={HarvestedRecord: lambda record: [record.local_document_id]},
)


def shown_as(document: Document) -> list[int]:
    """The harvested records shown through this center's document: deleted for good, it
    gives them back to the catalogue at once (indexed after the commit, by then unlinked)."""
    return list(
        HarvestedRecord.objects.filter(local_document=document.pk).values_list("pk", flat=True)
    )


register(
    IndexSpec(
        type="harvested",
        label=_("Mục lục liên hợp"),
        model=HarvestedRecord,
        queryset=lambda: HarvestedRecord.objects.all(),
        to_document=record_to_search,
        dependencies={Document: shown_as},
        icon="bi-diagram-3",
        describe=describe_hits,
    )
)
