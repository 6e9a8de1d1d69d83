"""Library API: search and read documents (public, filtered by access); deposit and upload
files with a bearer token. Uses the same search definition and services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from sti.accounts.access import get_visible_or_404
from sti.accounts.api_auth import optional_user, token_auth
from sti.core.api import PayloadSchema, QueryParams
from sti.library import services, storage
from sti.library.choices import LANGUAGES, AccessLevel, SourceType
from sti.library.filters import search_documents
from sti.library.models import Document, DocumentFile
from sti.search.api import FacetOut, SearchParams, facets_out

router = Router(tags=["library"])


class LibraryFilters(QueryParams):
    """Repeatable filters of the library search (values OR-ed, filters AND-ed)."""

    source_type: list[Literal[tuple(SourceType.values)]] = Field([], description="Loại tài liệu")
    field: list[str] = Field([], description="Mã lĩnh vực KH&CN (gồm các lĩnh vực con)")
    year: list[int] = Field([], description="Năm xuất bản")
    language: list[Literal[tuple(code for code, _label in LANGUAGES)]] = Field(
        [], description="Ngôn ngữ"
    )
    collection: list[str] = Field([], description="Bộ sưu tập (mã số)")
    access: list[Literal[tuple(AccessLevel.values)]] = Field([], description="Mức truy cập")


class DocumentHitOut(Schema):
    pk: str
    title: str
    url: str
    subtitle: str
    year: int | None
    snippet_html: str


class DocumentSearchOut(Schema):
    total: int
    total_is_lower_bound: bool = False
    page: int
    num_pages: int
    hits: list[DocumentHitOut]
    facets: dict[str, list[FacetOut]]


class FileOut(Schema):
    id: int
    name: str
    mime_type: str
    size: int
    text_method: str
    char_count: int
    quality: str
    download_url: str


class DocumentOut(Schema):
    id: int
    title: str
    title_alternative: str
    creators: list[str]
    contributors: list[str]
    abstract: str
    keywords: list[str]
    fields: list[str]
    collections: list[str]
    publisher: str
    year: int | None
    source_type: str
    isbn: str
    issn: str
    doi: str
    language: str
    access: str
    embargo_until: dt.date | None
    status: str
    url: str
    files: list[FileOut]


class DepositIn(PayloadSchema):
    title: str
    abstract: str = ""
    keywords: str = ""
    creators: list[str] = []
    source_type: str = SourceType.REPORT
    year: int | None = None
    publisher: str = ""
    language: str = "vie"
    access: str = AccessLevel.PUBLIC
    fields: list[str] = []


def _out(document: Document) -> dict:
    return {
        "id": document.pk,
        "title": document.title,
        "title_alternative": document.title_alternative,
        "creators": document.creator_names("creator"),
        "contributors": document.creator_names("contributor"),
        "abstract": document.abstract,
        "keywords": document.keyword_list,
        "fields": [f.code for f in document.fields.all()],
        "collections": [c.slug for c in document.collections.all()],
        "publisher": document.publisher,
        "year": document.year,
        "source_type": document.source_type,
        "isbn": document.isbn,
        "issn": document.issn,
        "doi": document.doi,
        "language": document.language,
        "access": document.access,
        "embargo_until": document.embargo_until,
        "status": document.status,
        "url": document.get_absolute_url(),
        "files": [
            {
                "id": f.pk,
                "name": f.original_name,
                "mime_type": f.mime_type,
                "size": f.size,
                "text_method": f.text_method,
                "char_count": f.char_count,
                "quality": f.quality,
                "download_url": f"/thu-vien/tep/{f.pk}/",
            }
            for f in document.files.all()
        ],
    }


@router.get("/documents", response=DocumentSearchOut, summary="Tìm tài liệu")
def search(request, params: Query[SearchParams], filters: Query[LibraryFilters]):
    """Full-text search. Filters (repeatable): `source_type`, `field`, `year`, `language`,
    `collection`, `access`; also `year_from`, `year_to`."""
    results = search_documents(optional_user(request), request.GET)
    return {
        "total": results.total,
        "total_is_lower_bound": results.total_is_lower_bound,
        "page": results.page,
        "num_pages": results.num_pages,
        "hits": results.hits,
        "facets": facets_out(results.facets),
    }


def _load(user, pk) -> Document:
    document = get_visible_or_404(Document, user, pk=pk)
    return Document.objects.prefetch_related("creators", "fields", "collections", "files").get(
        pk=document.pk
    )


@router.get("/documents/{pk}", response=DocumentOut, summary="Một tài liệu")
def detail(request, pk: int):
    return _out(_load(optional_user(request), pk))


@router.post(
    "/documents", response={201: DocumentOut}, auth=token_auth, summary="Nộp tài liệu (chờ duyệt)"
)
def deposit(request, payload: DepositIn):
    """A registered user deposits a document; it waits in the editors' review queue."""
    from sti.core.models import FieldOfScience

    fields = list(FieldOfScience.objects.current().filter(code__in=payload.fields))
    data = payload.dict(exclude={"creators", "fields"})
    # A ValidationError of the service answers 422 through the API's handler.
    document = services.deposit(request.auth, data, creators=payload.creators, fields=fields)
    return Status(201, _out(_load(request.auth, document.pk)))


@router.post(
    "/documents/{pk}/files", response={201: FileOut}, auth=token_auth, summary="Tải tệp lên"
)
def upload(request, pk: int, file: File[UploadedFile]):
    document = get_visible_or_404(Document, request.auth, pk=pk)
    try:
        with transaction.atomic():
            stored = services.add_file(request.auth, document, file)
    except PermissionDenied as error:
        raise HttpError(403, "Không có quyền tải tệp cho tài liệu này.") from error
    except storage.UploadRejected as error:
        raise HttpError(400, " ".join(error.messages)) from error
    stored = get_object_or_404(DocumentFile, pk=stored.pk)
    return Status(
        201,
        {
            "id": stored.pk,
            "name": stored.original_name,
            "mime_type": stored.mime_type,
            "size": stored.size,
            "text_method": stored.text_method,
            "char_count": stored.char_count,
            "quality": stored.quality,
            "download_url": f"/thu-vien/tep/{stored.pk}/",
        },
    )
