"""The item page, file downloads, ingestion progress and single-record exports."""

from __future__ import annotations

from django.db.models import Prefetch, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sti.accounts.access import get_visible_or_404, is_editor, visible_to_anonymous
from sti.core import exports as core_exports
from sti.core import pagecache
from sti.core.audit import history_for
from sti.core.downloads import ranged_file_response
from sti.core.models import TrackedJob
from sti.core.registries import related_sections
from sti.library import exports, marc, services
from sti.library.choices import DocumentStatus
from sti.library.forms import ReviewForm, UploadForm
from sti.library.lifecycle import DOCUMENT
from sti.library.models import Document, DocumentFile, OcrPage
from sti.search import services as search_services


def _document_for(user, pk) -> Document:
    queryset = Document.objects.prefetch_related(
        "creators",
        "fields",
        "collections__parent",
        "organizations",
        Prefetch(
            "files",
            queryset=DocumentFile.objects.defer("text"),
        ),
    ).select_related("submitted_by")
    document = get_visible_or_404(Document, user, pk=pk)
    return queryset.get(pk=document.pk)


def _pdf_url(request, document: Document) -> str | None:
    for file in document.files.all():
        if file.is_pdf:
            return request.build_absolute_uri(reverse("library:file_download", args=[file.pk]))
    return None


def attach_held_pages(user, files) -> None:
    """`file.held_pages`: the OCR pages an editor must look at (one query, only when a file
    needs attention)."""
    flagged = [file.pk for file in files if file.needs_attention and file.text_by_page]
    held: dict[int, list[OcrPage]] = {}
    if flagged:
        for page in OcrPage.objects.visible_to(user).filter(file_id__in=flagged).held():
            held.setdefault(page.file_id, []).append(page)
    for file in files:
        file.held_pages = held.get(file.pk, [])


def document_detail(request, pk):
    document = _document_for(request.user, pk)
    services.count_view(request, document.pk)
    pagecache.on_every_answer(request, "library.document_view", document.pk)
    usage = document.usage.all()[:12]
    totals = document.usage.aggregate(views=Sum("views"), downloads=Sum("downloads"))
    pdf_url = _pdf_url(request, document) if document.is_public else None
    files = list(document.files.all())
    latest = TrackedJob.objects.latest_by_target(files)
    for file in files:
        file.job = latest[file.pk]
    editor = is_editor(request.user)
    if editor:
        attach_held_pages(request.user, files)
    context = {
        "document": document,
        "related": related_sections(document, request.user),
        "files": files,
        "citations": exports.citations(document),
        "meta_tags": exports.highwire_tags(document, request.build_absolute_uri, pdf_url),
        "json_ld": exports.json_ld(document, request.build_absolute_uri, pdf_url),
        "similar": search_services.more_like_this(
            request.user, "document", document.pk, types=["document"]
        ),
        "usage": usage,
        "totals": totals,
        "can_edit": services.can_edit(request.user, document),
        "is_editor": editor,
        "upload_form": UploadForm() if services.can_add_files(request.user, document) else None,
        "review_form": ReviewForm() if editor and document.status == "submitted" else None,
        "history": history_for(document)[:20] if editor else None,
        # Warnings of the irreversible moves this page offers (confirmed by a checkbox).
        "withdraw_confirm": DOCUMENT.confirmation(document.status, DocumentStatus.WITHDRAWN),
        "reject_confirm": DOCUMENT.confirmation(document.status, DocumentStatus.REJECTED),
    }
    return render(request, "library/document_detail.html", context)


def _file_for(user, pk) -> DocumentFile:
    try:
        file = DocumentFile.objects.select_related("document").get(pk=pk)
    except DocumentFile.DoesNotExist as missing:
        raise Http404 from missing
    # The file is served only when its document is visible to this user.
    get_visible_or_404(Document, user, pk=file.document_id)
    return file


@require_safe
@pagecache.no_page_cache  # counts every download; nginx serves the bytes (X-Accel-Redirect)
def file_download(request, pk):
    """GET downloads (with ranges); HEAD answers the same headers (link checkers, download
    managers)."""
    file = _file_for(request.user, pk)
    stored, content_type, name = services.file_for_download(file)
    if not stored.exists():
        raise Http404(_("Tệp không còn trên máy chủ."))
    if request.method == "GET" and not services.is_robot(request.headers.get("User-Agent", "")):
        services.count_usage(file.document, download=True)
    inline = request.GET.get("xem") == "1" and content_type == "application/pdf"
    # Ranges (resumed downloads, PDF viewers), ETag, HEAD; behind nginx, X-Accel-Redirect.
    return ranged_file_response(
        request,
        stored,
        content_type,
        filename=name,
        as_attachment=not inline,
        public=lambda: visible_to_anonymous(file.document),
    )


def file_status(request, pk):
    """The ingestion progress of a file (polled by htmx while the job runs)."""
    file = _file_for(request.user, pk)
    editor = is_editor(request.user)
    if editor:
        attach_held_pages(request.user, [file])
    return render(
        request,
        "library/_file_status.html",
        {"file": file, "job": file.latest_job(), "is_editor": editor},
    )


EXPORT_TYPES = {
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "marc": ("application/marc", "mrc"),
    "marcxml": ("application/marcxml+xml", "xml"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


def export_response(documents, fmt: str, request, stem: str) -> HttpResponse:
    if fmt not in EXPORT_TYPES:
        raise Http404
    content_type, extension = EXPORT_TYPES[fmt]
    documents = list(exports.export_queryset(documents))
    url_for = lambda d: request.build_absolute_uri(d.get_absolute_url())  # noqa: E731
    if fmt == "bibtex":
        body = exports.to_bibtex(documents).encode("utf-8")
    elif fmt == "marc":
        body = marc.to_iso2709(documents, url_for)
    elif fmt == "marcxml":
        body = marc.to_marcxml(documents, url_for)
    else:
        body = exports.to_csv(documents).encode("utf-8")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = core_exports.content_disposition(f"{stem}.{extension}")
    return response


def document_export(request, pk, fmt):
    document = get_visible_or_404(Document, request.user, pk=pk)
    return export_response(
        Document.objects.filter(pk=document.pk), fmt, request, f"tai-lieu-{document.pk}"
    )
