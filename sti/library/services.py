"""Library workflows: catalogue, deposit and review, files and ingestion, withdrawal, usage.

Every verb runs in one transaction, writes the audit row, and sends side effects (ingestion
tasks; indexing through the search signals) only after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import audit, files
from sti.core import jobs as core_jobs
from sti.core.choices import AuditAction, JobState
from sti.core.models import TrackedJob
from sti.core.text import normalize
from sti.library import ingest, jobs, lifecycle, storage, tasks
from sti.library.choices import (
    AccessLevel,
    CreatorRole,
    DocumentStatus,
)
from sti.library.models import Creator, Document, DocumentFile, OcrPage, UsageMonth

logger = logging.getLogger(__name__)

# Plain (non-relational) Dublin Core fields a form, an import or the API may set.
DOCUMENT_FIELDS = (
    "title",
    "title_alternative",
    "abstract",
    "keywords",
    "publisher",
    "year",
    "issued",
    "source_type",
    "extent",
    "isbn",
    "issn",
    "doi",
    "call_number",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
    "access",
    "embargo_until",
    "digitization",
)
TEXT_FIELDS = {name for name in DOCUMENT_FIELDS if name not in ("year", "issued", "embargo_until")}


# ---------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------
def _apply(document: Document, data: dict) -> None:
    for name in DOCUMENT_FIELDS:
        if name in data:
            value = data[name]
            if name in TEXT_FIELDS:
                value = normalize(value or "")
            setattr(document, name, value)
    if document.access != AccessLevel.EMBARGOED:
        document.embargo_until = None
    document.full_clean(exclude=["fields", "organizations", "collections", "submitted_by"])


def _set_people(
    document: Document, creators: Iterable[str] | None, contributors: Iterable[str] | None
) -> None:
    for role, names in ((CreatorRole.CREATOR, creators), (CreatorRole.CONTRIBUTOR, contributors)):
        if names is None:
            continue
        document.creators.filter(role=role).delete()
        cleaned = [normalize(name) for name in names if normalize(name)]
        for position, name in enumerate(cleaned):
            Creator.objects.create(document=document, name=name[:200], role=role, position=position)


def _set_relations(document: Document, relations: dict) -> None:
    for name in ("fields", "collections", "organizations"):
        if relations.get(name) is not None:
            getattr(document, name).set(relations[name])


def _relations_snapshot(document: Document) -> dict:
    return {
        "creators": document.creator_names(CreatorRole.CREATOR),
        "contributors": document.creator_names(CreatorRole.CONTRIBUTOR),
        **audit.m2m_snapshot(document, ("fields", "collections", "organizations")),
    }


@transaction.atomic
def create_document(
    actor,
    data: dict,
    *,
    creators=None,
    contributors=None,
    fields=None,
    collections=None,
    organizations=None,
    status: str = DocumentStatus.PUBLISHED,
    note: str = "",
) -> Document:
    """Catalogue a new record (editors). `status` is published unless a draft is asked for."""
    document = Document(status=status, submitted_by=None)
    _apply(document, data)
    if status == DocumentStatus.PUBLISHED:
        document.published_at = timezone.now()
    document.save()
    _set_people(document, creators, contributors)
    _set_relations(
        document, {"fields": fields, "collections": collections, "organizations": organizations}
    )
    audit.record_create(actor, document, note=note, m2m=("fields", "collections", "organizations"))
    return document


def check_document_data(data: dict) -> None:
    """Validate a record as `create_document` would (raises ValidationError) without saving:
    the import preview runs it, so a preview that passes never fails on confirm."""
    _apply(Document(status=DocumentStatus.PUBLISHED), data)


@transaction.atomic
def update_document(
    actor,
    document: Document,
    data: dict,
    *,
    creators=None,
    contributors=None,
    fields=None,
    collections=None,
    organizations=None,
    note: str = "",
) -> Document:
    """Edit a catalogue record; the audit row holds every changed field, relations included."""
    if not can_edit(actor, document):
        raise PermissionDenied
    if not actor.is_editor:
        # A depositor edits within the limits of a deposit: no restricted access levels,
        # no embargo, no cataloguing (digitization, collections, organizations).
        data = {k: v for k, v in data.items() if k not in ("embargo_until", "digitization")}
        if data.get("access") not in (None, AccessLevel.PUBLIC, AccessLevel.REGISTERED):
            data.pop("access")  # the stored level stays
        collections = organizations = None
    document = Document.objects.select_for_update().get(pk=document.pk)
    before = {**audit.snapshot(document), **_relations_snapshot(document)}
    _apply(document, data)
    document.save()
    _set_people(document, creators, contributors)
    _set_relations(
        document, {"fields": fields, "collections": collections, "organizations": organizations}
    )
    after = {**audit.snapshot(document), **_relations_snapshot(document)}
    changes = audit.diff(before, after)
    changes.pop("updated_at", None)
    changes.pop("oai_datestamp", None)
    if changes:
        audit.record(actor, AuditAction.UPDATE, document, changes, note)
    return document


def can_edit(user, document: Document) -> bool:
    if user is not None and user.is_authenticated and user.is_editor:
        return True
    # A depositor may edit their own deposit until it is accepted.
    return (
        user is not None
        and user.is_authenticated
        and document.submitted_by_id == user.pk
        and document.status in (DocumentStatus.DRAFT, DocumentStatus.RETURNED)
    )


def withdraw_document(
    actor, document: Document, note: str = "", *, confirmed: bool = True
) -> Document:
    """Withdraw (soft-delete) a record; OAI-PMH keeps reporting it as deleted. Irreversible:
    a page passes `confirmed`."""
    return lifecycle.DOCUMENT.move(
        actor, document, DocumentStatus.WITHDRAWN, note=note, confirmed=confirmed
    )


# ---------------------------------------------------------------------------
# Deposit and review
# ---------------------------------------------------------------------------
@transaction.atomic
def deposit(user, data: dict, *, creators=None, fields=None, files: Iterable = ()) -> Document:
    """A registered user (a researcher) deposits a report: it waits in the review queue."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    document = Document(status=DocumentStatus.SUBMITTED, submitted_by=user)
    allowed = {
        k: v for k, v in data.items() if k not in ("access", "embargo_until", "digitization")
    }
    _apply(document, allowed)
    document.access = (
        data.get("access")
        if data.get("access") in (AccessLevel.PUBLIC, AccessLevel.REGISTERED)
        else AccessLevel.PUBLIC
    )
    document.save()
    _set_people(document, creators or [str(user)], None)
    _set_relations(document, {"fields": fields})
    audit.record_create(user, document, note=_("Nộp tài liệu để duyệt"))
    for upload in files:
        add_file(user, document, upload)
    return document


def accept(editor, document: Document, comment: str = "") -> Document:
    return lifecycle.DOCUMENT.move(editor, document, DocumentStatus.PUBLISHED, note=comment)


def return_for_changes(editor, document: Document, comment: str) -> Document:
    return lifecycle.DOCUMENT.move(editor, document, DocumentStatus.RETURNED, note=comment)


def reject(editor, document: Document, comment: str = "", *, confirmed: bool = True) -> Document:
    return lifecycle.DOCUMENT.move(
        editor, document, DocumentStatus.REJECTED, note=comment, confirmed=confirmed
    )


def resubmit(user, document: Document) -> Document:
    return lifecycle.DOCUMENT.move(user, document, DocumentStatus.SUBMITTED)


def review_queue():
    return Document.objects.filter(
        status=DocumentStatus.SUBMITTED, deleted_at__isnull=True
    ).order_by("created_at")


# ---------------------------------------------------------------------------
# Files and ingestion
# ---------------------------------------------------------------------------
def can_add_files(user, document: Document) -> bool:
    """Editors; and a depositor while their deposit is not yet accepted."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_editor or (
        document.submitted_by_id == user.pk
        and document.status
        in (DocumentStatus.DRAFT, DocumentStatus.RETURNED, DocumentStatus.SUBMITTED)
    )


def add_file(actor, document: Document, upload, name: str | None = None) -> DocumentFile:
    """Check, store (once per content) and attach a file, then queue its text extraction.

    A rejected upload raises storage.UploadRejected and leaves nothing behind.
    """
    if not can_add_files(actor, document):
        raise PermissionDenied
    spooled = (
        upload
        if isinstance(upload, storage.SpooledUpload)
        else storage.spool(
            upload, name or getattr(upload, "name", "tep"), getattr(upload, "size", None)
        )
    )
    return attach_spooled(actor, document, spooled)


def attach_spooled(actor, document: Document, spooled: storage.SpooledUpload) -> DocumentFile:
    created_blob = False
    try:
        with transaction.atomic():
            created_blob = storage.place(spooled)
            file = DocumentFile.objects.create(
                document=document,
                original_name=spooled.name,
                sha256=spooled.sha256,
                size=spooled.size,
                mime_type=spooled.mime_type,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            _ingest_job(actor, file)
            audit.record(
                actor, AuditAction.CREATE, file, {"document": document.pk, "sha256": spooled.sha256}
            )
    except BaseException:
        spooled.discard()
        if created_blob:
            storage.remove_blob(spooled.sha256)
        raise
    return file


def _ingest_job(actor, file: DocumentFile) -> TrackedJob:
    """A queued extraction job for the file, its task enqueued after the commit."""
    job = core_jobs.create(jobs.INGEST, target=file, label=file.original_name, requested_by=actor)
    return core_jobs.enqueue(job, tasks.ingest_file, job.pk)


def requeue_file(actor, file: DocumentFile) -> TrackedJob:
    """Run extraction again (after installing Tesseract, or after a failure)."""
    with transaction.atomic():
        job = _ingest_job(actor, file)
        audit.record(actor, AuditAction.TRANSITION, file, {"ingest": ["", "queued"]})
    return job


def requeue_waiting_for_ocr(actor=None) -> int:
    """Requeue every file kept waiting because OCR was unavailable."""
    if not ingest.ocr_available():
        return 0
    # target_id is text (any model's key): compare in Python, not in a typed SQL subquery.
    waiting_ids = TrackedJob.objects.filter(kind=jobs.INGEST, state=JobState.WAITING).values_list(
        "target_id", flat=True
    )
    files = list(
        DocumentFile.objects.filter(pk__in=[int(pk) for pk in set(waiting_ids)]).defer("text")
    )
    latest = TrackedJob.objects.latest_by_target(files)
    waiting = [file for file in files if latest[file.pk].state == JobState.WAITING]
    for file in waiting:
        requeue_file(actor, file)
    return len(waiting)


def can_accept_text(user) -> bool:
    """Only editors release flagged text (a file's or an OCR page's) to the index."""
    return bool(user and user.is_authenticated and user.is_editor)


@transaction.atomic
def confirm_quality(editor, file: DocumentFile, note: str = "") -> DocumentFile:
    """An editor looked at a flagged file's text and accepts it as it is (for a file OCR'd
    by page: every page still held)."""
    if not can_accept_text(editor):
        raise PermissionDenied
    file = DocumentFile.objects.select_for_update().get(pk=file.pk)
    for page in OcrPage.objects.filter(file=file).held():
        _accept_page(editor, page, note)
    file.quality_checked_by = editor
    if file.text_by_page:
        _release_pages(file)
    file.save(update_fields=["quality_checked_by", "text", "char_count"])
    audit.record(
        editor, AuditAction.TRANSITION, file, {"quality_checked": [file.quality, "confirmed"]}, note
    )
    return file


@transaction.atomic
def accept_ocr_page(editor, page: OcrPage, note: str = "") -> OcrPage:
    """An editor read a flagged OCR page and accepts its text: it joins the file's text (and
    so the search index, through the file's save). The file counts as checked once no page
    is held."""
    if not can_accept_text(editor):
        raise PermissionDenied
    page = OcrPage.objects.select_for_update().select_related("file").get(pk=page.pk)
    if page.released:
        return page
    _accept_page(editor, page, note)
    file = page.file
    _release_pages(file)
    fields = ["text", "char_count"]
    if not OcrPage.objects.filter(file=file).held().exists():
        file.quality_checked_by = editor
        fields.append("quality_checked_by")
    file.save(update_fields=fields)
    return page


def _accept_page(editor, page: OcrPage, note: str) -> None:
    page.accepted_by, page.accepted_at = editor, timezone.now()
    page.save(update_fields=["accepted_by", "accepted_at"])
    audit.record(
        editor,
        AuditAction.TRANSITION,
        page,
        {"accepted": [page.flag, "accepted"]},
        note,
    )


def _release_pages(file: DocumentFile) -> None:
    """The file's text: its ok and accepted pages, in order."""
    pages = OcrPage.objects.filter(file=file).order_by("number")
    file.text = normalize("\n\n".join(p.text for p in pages if p.released and p.text))
    file.char_count = len(file.text)


@transaction.atomic
def remove_file(actor, file: DocumentFile) -> None:
    if not (actor and actor.is_authenticated and actor.is_editor):
        raise PermissionDenied
    hashes = [file.sha256, file.ocr_sha256]
    audit.record_delete(actor, file)
    TrackedJob.objects.for_target(file).delete()
    file.delete()
    for sha in hashes:
        transaction.on_commit(partial(storage.remove_blob_if_unused, sha))


def file_for_download(file: DocumentFile) -> tuple[files.Stored, str, str]:
    """(stored file, content type, file name) to serve: the searchable PDF when OCR made one."""
    if file.ocr_sha256:
        stem = (
            file.original_name.rsplit(".", 1)[0]
            if "." in file.original_name
            else file.original_name
        )
        return storage.blob(file.ocr_sha256), storage.PDF, f"{stem}.pdf"
    return storage.blob(file.sha256), file.mime_type, file.original_name


# ---------------------------------------------------------------------------
# Usage statistics
# ---------------------------------------------------------------------------
_BOT_MARKERS = ("bot", "crawl", "spider", "slurp", "harvest", "python-requests", "curl", "wget")


def is_robot(user_agent: str) -> bool:
    agent = (user_agent or "").lower()
    return not agent or any(marker in agent for marker in _BOT_MARKERS)


def count_view(request, document_id: int) -> None:
    """One view of the document page by a person (robots are not counted); also run for the
    page served from the anonymous page cache (`sti.core.pagecache` hook)."""
    if not is_robot(request.headers.get("User-Agent", "")):
        count_usage(document_id, view=True)


def count_usage(
    document: Document | int,
    *,
    view: bool = False,
    download: bool = False,
    when: dt.date | None = None,
) -> None:
    """Add one view or download to this month's counter. Nothing about the visitor is kept."""
    month = (when or timezone.localdate()).replace(day=1)
    document_id = document if isinstance(document, int) else document.pk
    UsageMonth.objects.get_or_create(document_id=document_id, month=month)
    UsageMonth.objects.filter(document_id=document_id, month=month).update(
        views=F("views") + (1 if view else 0), downloads=F("downloads") + (1 if download else 0)
    )
