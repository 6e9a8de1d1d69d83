"""What the library puts in the search index: published documents with their full text.

Who finds a record follows `DocumentQuerySet.access_rule` (the search registry applies it):
an embargoed record is public from its embargo date; a deposit still under review is found
only by its depositor (and editors, who search unrestricted).
"""

import datetime as dt
import time

from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from sti.core.models import FieldOfScience
from sti.library.choices import CreatorRole, DocumentStatus
from sti.library.models import Collection, Creator, Document, DocumentFile
from sti.search.base import SearchDocument
from sti.search.highlight import snippet
from sti.search.registry import IndexSpec, register

FULL_TEXT_CHARS = 200_000
FACETS = ("source_type", "field", "year", "language", "collection", "access")


def is_indexed(document: Document) -> bool:
    """Deleted, rejected and withdrawn records stay out of the index."""
    return document.deleted_at is None and document.status not in (
        DocumentStatus.REJECTED,
        DocumentStatus.WITHDRAWN,
    )


def collection_tags(collections, parents: dict[int, int | None]) -> set[str]:
    """A document's collections with all their ancestors, so a parent's facet counts children."""
    out: set[str] = set()
    for collection in collections:
        node = collection.pk
        while node is not None and str(node) not in out:
            out.add(str(node))
            node = parents.get(node)
    return out


# The collection tree is tiny and read for every document of a reindex: cache it for a
# second, and drop the cache at once when this process changes a collection.
_parents_cache: dict = {"at": 0.0, "value": None}


def _collection_parents() -> dict[int, int | None]:
    now = time.monotonic()
    if _parents_cache["value"] is None or now - _parents_cache["at"] > 1.0:
        _parents_cache["value"] = dict(Collection.objects.values_list("pk", "parent_id"))
        _parents_cache["at"] = now
    return _parents_cache["value"]


def _forget_parents(**kwargs) -> None:
    _parents_cache["value"] = None


post_save.connect(
    _forget_parents, sender=Collection, dispatch_uid="library-collection-parents-save"
)
post_delete.connect(
    _forget_parents, sender=Collection, dispatch_uid="library-collection-parents-delete"
)


# `indexed_queryset` prefetches these relations into plain lists (`Prefetch(to_attr=…)`):
# a reindex reads them for every record, and a related manager per record and relation
# costs more than the rest of the document.
_PREFETCHED = {name: f"indexed_{name}" for name in ("creators", "fields", "collections", "files")}
# Only the columns `document_to_search` reads: a file row holds a score of columns and a
# model instance costs per loaded field (a fifth of a reindex went to building them).
_PREFETCH_ONLY = {
    "creators": lambda: Creator.objects.only("document_id", "name", "role"),
    "fields": lambda: FieldOfScience.objects.only("code"),
    "collections": lambda: Collection.objects.only("id"),
    "files": lambda: DocumentFile.objects.only(
        "document_id", "text", "text_by_page", "quality", "quality_checked_by_id"
    ),
}


def _prefetches(*names: str) -> list[Prefetch]:
    return [
        Prefetch(name, queryset=_PREFETCH_ONLY[name](), to_attr=_PREFETCHED[name]) for name in names
    ]


def _related(document: Document, name: str) -> list:
    cached = getattr(document, _PREFETCHED[name], None)
    return cached if cached is not None else list(getattr(document, name).all())


_url_patterns: dict[str, tuple[str, str]] = {}
_URL_PK = 9_876_543_210


def _document_url(pk: int) -> str:
    """`Document.get_absolute_url` without a `reverse` per record (a tenth of a reindex)."""
    prefix = get_script_prefix()
    if prefix not in _url_patterns:
        _url_patterns[prefix] = tuple(
            reverse("library:document", args=[_URL_PK]).split(str(_URL_PK))
        )
    head, tail = _url_patterns[prefix]
    return f"{head}{pk}{tail}"


def document_to_search(document: Document, parents: dict | None = None) -> SearchDocument | None:
    if not is_indexed(document):
        return None
    creators = [c.name for c in _related(document, "creators") if c.role == CreatorRole.CREATOR]
    # Text flagged by the quality check (a file's, or an OCR page's) waits for an editor.
    texts = [f.indexed_text for f in _related(document, "files") if f.indexed_text]
    body = "\n".join(
        part
        for part in (" ; ".join(creators), document.keywords, document.abstract, *texts)
        if part
    )[:FULL_TEXT_CHARS]
    parents = parents if parents is not None else _collection_parents()
    tags = [
        ("source_type", document.source_type),
        ("language", document.language),
        ("access", document.access),
        ("origin", "local"),  # the union catalogue's "nguồn" facet (sti.harvest)
    ]
    tags += [
        ("collection", pk)
        for pk in sorted(collection_tags(_related(document, "collections"), parents))
    ]
    subtitle = ", ".join(creators[:3]) + (" …" if len(creators) > 3 else "")
    if document.publisher:
        subtitle = f"{subtitle} · {document.publisher}" if subtitle else document.publisher
    return SearchDocument(
        type="document",
        pk=str(document.pk),
        title=document.title,
        body=body,
        url=_document_url(document.pk),
        subtitle=subtitle,
        fields=[field.code for field in _related(document, "fields")],
        year=document.year,
        # Sorting by date means by publication date: the issue date, else 1 January of the year.
        date=document.issued
        or (
            dt.date(document.year, 1, 1)
            if document.year
            else document.published_at or document.created_at
        ),
        tags=tags,
    )


ABSTRACT_CHARS = 280
LISTED_AUTHORS = 3


def split_keywords(keywords: str) -> list[str]:
    """ "lúa; chịu mặn, Sóc Trăng" → ["lúa", "chịu mặn", "Sóc Trăng"] (chips on result pages)."""
    return [word.strip() for word in keywords.replace(",", ";").split(";") if word.strip()]


def describe_hits(hits, user, wanted: set[str]) -> None:
    """Authors, an abstract snippet and keywords for a page of document hits, kept apart
    (the index holds them as one body): two queries, whatever the number of hits."""
    pks = [int(hit.pk) for hit in hits if hit.pk.isdigit()]
    rows = {
        pk: (abstract, keywords, publisher)
        for pk, abstract, keywords, publisher in Document.objects.visible_to(user)
        .filter(pk__in=pks)
        .values_list("pk", "abstract", "keywords", "publisher")
    }
    authors: dict[int, list[str]] = {}
    for document_id, name in (
        Creator.objects.filter(document_id__in=rows, role=CreatorRole.CREATOR)
        .order_by("document_id", "position", "pk")
        .values_list("document_id", "name")
    ):
        authors.setdefault(document_id, []).append(name)
    for hit in hits:
        pk = int(hit.pk) if hit.pk.isdigit() else None
        if pk not in rows:
            continue
        abstract, keywords, publisher = rows[pk]
        names = authors.get(pk, [])
        abstract_html = snippet(abstract, wanted, ABSTRACT_CHARS)
        hit.details = {
            "authors": names[:LISTED_AUTHORS],
            "more_authors": max(0, len(names) - LISTED_AUTHORS),
            "abstract_html": abstract_html,
            # The words matched in the full text only: its snippet, under the abstract.
            "match_html": hit.snippet_html
            if "<mark>" in hit.snippet_html and "<mark>" not in abstract_html
            else "",
            "keywords": split_keywords(keywords),
            # A bulletin's author is often its publisher: not said twice.
            "publisher": "" if publisher in names else publisher,
        }


def document_texts(pks: list[str]) -> dict[str, str]:
    """The bodies of these documents as `document_to_search` indexes them, for the snippets
    of a page of hits (the index stores none): three queries, the documents with their
    creators and files; the fields and collections, which only tag the document, are left
    out."""
    out = {}
    queryset = Document.objects.filter(pk__in=pks).prefetch_related(
        *_prefetches("creators", "files")
    )
    for document in queryset:
        setattr(document, _PREFETCHED["fields"], [])
        setattr(document, _PREFETCHED["collections"], [])
        built = document_to_search(document, parents={})
        if built is not None:
            out[str(document.pk)] = built.body
    return out


def indexed_queryset():
    return Document.objects.prefetch_related(*_prefetches(*_PREFETCHED))


register(
    IndexSpec(
        type="document",
        label=_("Tài liệu"),
        model=Document,
        queryset=indexed_queryset,
        to_document=document_to_search,
        dependencies={
            DocumentFile: lambda file: [file.document_id],
            Creator: lambda creator: [creator.document_id],
        },
        icon="bi-journal-text",
        describe=describe_hits,
        texts=document_texts,
    )
)
