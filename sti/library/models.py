"""The digital library: documents (Dublin Core), their files and text, collections, ingestion
jobs and usage statistics (TaiLieu in DOMAIN.md §4)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core.access import PUBLIC, REGISTERED, USER, AccessQuerySet, AccessRule, Grant
from sti.core.links import record_url
from sti.core.models import ChoiceLabelsMixin, FieldOfScience, TrackedJob
from sti.core.reports import per_period
from sti.core.text import fold_lower
from sti.core.validators import validate_year
from sti.library.choices import (
    HELD_FLAGS,
    LANGUAGES,
    AccessLevel,
    CreatorRole,
    DigitizationState,
    DocumentStatus,
    QualityFlag,
    SourceType,
    TextMethod,
)


# ---------------------------------------------------------------------------
# Collections
# ---------------------------------------------------------------------------
class Collection(models.Model):
    """A nested collection ("Kết quả nghiên cứu", "Tạp chí KH&CN Cần Thơ"); also an OAI-PMH set."""

    name = models.CharField(_("tên bộ sưu tập"), max_length=200)
    slug = models.SlugField(_("mã (slug)"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("bộ sưu tập cha"),
    )
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("bộ sưu tập")
        verbose_name_plural = _("bộ sưu tập")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("library:collection", args=[self.slug])

    def ancestors(self) -> list[Collection]:
        """From the root down to this collection (itself included)."""
        chain, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def descendant_ids(self) -> list[int]:
        """This collection's id and every id below it."""
        parents = dict(Collection.objects.values_list("pk", "parent_id"))
        found, frontier = {self.pk}, {self.pk}
        while frontier:
            frontier = {
                pk for pk, parent in parents.items() if parent in frontier and pk not in found
            }
            found |= frontier
        return sorted(found)

    @property
    def set_spec(self) -> str:
        """OAI-PMH setSpec: "collection:<root slug>:…:<slug>" (colons express the hierarchy)."""
        return ":".join(["collection", *(node.slug for node in self.ancestors())])


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------
_PUBLISHED = Q(status=DocumentStatus.PUBLISHED)
# Digitized from paper: scanned, and every step after the scan.
DIGITIZED_STATES = (
    DigitizationState.SCANNED,
    DigitizationState.OCR,
    DigitizationState.CATALOGUED,
    DigitizationState.PUBLISHED,
)


class DocumentQuerySet(AccessQuerySet):
    # Anonymous: published public records, and embargoed ones from their embargo date.
    # Registered: also registered-only records and their own deposits. Editors: every live
    # record. Deleted records are seen by nobody. Pages, OAI-PMH, exports and search read this.
    access_rule = AccessRule(
        base=Q(deleted_at__isnull=True),
        grants=[
            Grant(PUBLIC, when=_PUBLISHED & Q(access=AccessLevel.PUBLIC)),
            Grant(
                PUBLIC,
                when=_PUBLISHED & Q(access=AccessLevel.EMBARGOED),
                available_from="embargo_until",
            ),
            Grant(REGISTERED, when=_PUBLISHED & Q(access=AccessLevel.REGISTERED)),
            Grant(USER, field="submitted_by_id"),
        ],
    )

    def live(self):
        return self.filter(deleted_at__isnull=True)

    def public_q(self) -> Q:
        """What an anonymous visitor may see, as a condition (OAI-PMH adds tombstones to it)."""
        return self.access_rule.visible_q(None)

    def public(self):
        """What an anonymous visitor, a harvester and the sitemap may see."""
        return self.visible_to(None)

    # -- Named report method (read by sti.analytics)
    def report_counts(self, periods, organizations=None) -> list[dict[str, int]]:
        """The holdings at the end of each period: live published documents (published by
        that day), those with full text (a file with extracted text), those digitized from
        paper (scanned and later) and those whose text came from OCR. With `organizations`:
        the documents linked to them. One query for all periods."""
        queryset = self.live().filter(status=DocumentStatus.PUBLISHED)
        if organizations is not None:
            linked = Document.organizations.through.objects.filter(
                organization__in=organizations.values("pk")
            )
            queryset = queryset.filter(pk__in=linked.values("document_id"))
        files = DocumentFile.objects.filter(document=OuterRef("pk"))
        queryset = queryset.annotate(
            has_text=Exists(files.filter(char_count__gt=0)),
            has_ocr=Exists(files.filter(text_method=TextMethod.OCR)),
        )

        def held_by(_start, end) -> Q:
            return Q(published_at__date__lte=end) | Q(
                published_at__isnull=True, created_at__date__lte=end
            )

        return per_period(
            queryset,
            periods,
            held_by,
            value=lambda q: {
                "total": Count("pk", filter=q),
                "full_text": Count("pk", filter=q & Q(has_text=True)),
                "digitized": Count("pk", filter=q & Q(digitization__in=DIGITIZED_STATES)),
                "ocr": Count("pk", filter=q & Q(has_ocr=True)),
            },
        )


class Document(ChoiceLabelsMixin, models.Model):
    """A library item described with Dublin Core: report, article, book, thesis, standard…"""

    title = models.CharField(_("nhan đề"), max_length=500)
    title_alternative = models.CharField(_("nhan đề khác / song song"), max_length=500, blank=True)
    abstract = models.TextField(_("tóm tắt"), blank=True)
    keywords = models.CharField(
        _("từ khóa"), max_length=1000, blank=True, help_text=_("Cách nhau bằng dấu chấm phẩy (;).")
    )
    fields = models.ManyToManyField(FieldOfScience, blank=True, verbose_name=_("lĩnh vực KH&CN"))
    publisher = models.CharField(_("nhà xuất bản / cơ quan ban hành"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(
        _("năm xuất bản"), null=True, blank=True, db_index=True, validators=[validate_year]
    )
    issued = models.DateField(_("ngày xuất bản"), null=True, blank=True)
    source_type = models.CharField(_("loại nguồn tin"), max_length=20, choices=SourceType.choices)
    extent = models.CharField(_("mô tả vật lý (số trang, thời lượng)"), max_length=100, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    issn = models.CharField(_("ISSN"), max_length=9, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    call_number = models.CharField(_("số hồ sơ lưu / ký hiệu kho"), max_length=50, blank=True)
    source = models.CharField(
        _("nguồn (tạp chí, tập, số, trang)"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Tạp chí KH&CN Cần Thơ, số 3, tr. 12–20."),
    )
    language = models.CharField(_("ngôn ngữ"), max_length=10, choices=LANGUAGES, default="vie")
    relation = models.CharField(_("liên kết / tài liệu liên quan"), max_length=500, blank=True)
    organizations = models.ManyToManyField(
        "directory.Organization",
        blank=True,
        related_name="documents",
        verbose_name=_("tổ chức liên quan"),
    )
    coverage = models.CharField(_("phạm vi (không gian, thời gian)"), max_length=300, blank=True)
    rights = models.CharField(_("bản quyền"), max_length=300, blank=True)
    collections = models.ManyToManyField(
        Collection, blank=True, related_name="documents", verbose_name=_("bộ sưu tập")
    )
    access = models.CharField(
        _("mức truy cập"), max_length=20, choices=AccessLevel.choices, default=AccessLevel.PUBLIC
    )
    embargo_until = models.DateField(_("hạn chế đến ngày"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=DocumentStatus.choices,
        default=DocumentStatus.DRAFT,
        db_index=True,
    )
    digitization = models.CharField(
        _("trạng thái số hóa"),
        max_length=20,
        choices=DigitizationState.choices,
        default=DigitizationState.BORN_DIGITAL,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_deposits",
        verbose_name=_("người nộp"),
    )
    review_comment = models.TextField(_("ý kiến biên tập"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("ngày rút"), null=True, blank=True)
    # OAI-PMH: the datestamp moves on every change and when an embargo lapses; a record once
    # exposed stays listed (as deleted) after it is withdrawn or restricted.
    oai_datestamp = models.DateTimeField(
        _("mốc thời gian OAI"), default=timezone.now, db_index=True
    )
    oai_exposed = models.BooleanField(_("đã công bố qua OAI-PMH"), default=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["oai_datestamp", "id"], name="library_doc_oai_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(access=AccessLevel.EMBARGOED) | Q(embargo_until__isnull=False),
                name="library_document_embargo_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.oai_datestamp = self.compute_datestamp()
        # Only a record a harvester could have seen leaves a tombstone: one public now, or one
        # whose stored row was public (an embargo that lapsed without a save). A record under a
        # future embargo is not exposed yet, so restricting it later reveals nothing.
        if not self.oai_exposed and (
            self._public_now()
            or (self.pk and Document.objects.public().filter(pk=self.pk).exists())
        ):
            self.oai_exposed = True
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {
                "oai_datestamp",
                "oai_exposed",
                "updated_at",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return record_url("library:document", self.pk)

    def _public_now(self) -> bool:
        """The in-memory values, judged like `DocumentQuerySet.public_q`."""
        if self.status != DocumentStatus.PUBLISHED or self.deleted_at is not None:
            return False
        if self.access == AccessLevel.PUBLIC:
            return True
        return (
            self.access == AccessLevel.EMBARGOED
            and bool(self.embargo_until)
            and (self.embargo_until <= timezone.localdate())
        )

    def compute_datestamp(self) -> dt.datetime:
        stamp = timezone.now()
        if self.access == AccessLevel.EMBARGOED and self.embargo_until:
            lapse = timezone.make_aware(dt.datetime.combine(self.embargo_until, dt.time.min))
            stamp = max(stamp, lapse)
        return stamp

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.replace(",", ";").split(";") if word.strip()]

    @property
    def is_public(self) -> bool:
        return Document.objects.public().filter(pk=self.pk).exists()

    @property
    def is_embargoed_now(self) -> bool:
        return (
            self.access == AccessLevel.EMBARGOED
            and bool(self.embargo_until)
            and (self.embargo_until > timezone.localdate())
        )

    def creator_names(self, role: str = CreatorRole.CREATOR) -> list[str]:
        return [c.name for c in self.creators.all() if c.role == role]

    @property
    def oai_identifier(self) -> str:
        return f"oai:{settings.STI_OAI_REPOSITORY_ID}:document/{self.pk}"


class Creator(models.Model):
    """An author or contributor of a document, in order (MARC 100/700, DC creator/contributor)."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="creators", verbose_name=_("tài liệu")
    )
    name = models.CharField(_("họ tên / tên tổ chức"), max_length=200)
    role = models.CharField(
        _("vai trò"), max_length=20, choices=CreatorRole.choices, default=CreatorRole.CREATOR
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = _("tác giả")
        verbose_name_plural = _("tác giả")
        ordering = ["document", "role", "position"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold_lower(self.name)[:200]
        super().save(*args, **kwargs)


# ---------------------------------------------------------------------------
# Files and their text
# ---------------------------------------------------------------------------
class DocumentFile(models.Model):
    """A file of a document. The bytes live once per content hash under MEDIA_ROOT."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="files", verbose_name=_("tài liệu")
    )
    original_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("kích thước (byte)"))
    mime_type = models.CharField(_("kiểu MIME"), max_length=100)
    ocr_sha256 = models.CharField(_("bản PDF tìm kiếm được (SHA-256)"), max_length=64, blank=True)
    page_count = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    text = models.TextField(_("văn bản trích xuất"), blank=True)
    text_method = models.CharField(
        _("cách lấy văn bản"), max_length=20, choices=TextMethod.choices, blank=True
    )
    char_count = models.PositiveIntegerField(_("số ký tự"), default=0)
    ocr_confidence = models.FloatField(_("độ tin cậy OCR (%)"), null=True, blank=True)
    quality = models.CharField(
        _("chất lượng văn bản"),
        max_length=20,
        choices=QualityFlag.choices,
        default=QualityFlag.PENDING,
    )
    quality_note = models.CharField(_("ghi chú chất lượng"), max_length=300, blank=True)
    # OCR'd page by page (OcrPage rows): `text` then holds only the pages that are ok or
    # accepted by an editor, so it may be indexed and shown as it is.
    text_by_page = models.BooleanField(_("văn bản theo từng trang OCR"), default=False)
    quality_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người xác nhận chất lượng"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    created_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp tài liệu")
        verbose_name_plural = _("tệp tài liệu")
        ordering = ["document", "created_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_pdf(self) -> bool:
        return self.mime_type == "application/pdf" or bool(self.ocr_sha256)

    @property
    def needs_attention(self) -> bool:
        return self.quality in HELD_FLAGS and (self.quality_checked_by_id is None)

    @property
    def text_released(self) -> bool:
        """May this file's text be indexed and shown as the document's text? Text flagged by
        the quality check waits for an editor; a file OCR'd by page keeps only the pages that
        passed (or were accepted) in `text`."""
        return (
            self.text_by_page
            or self.quality == QualityFlag.OK
            or self.quality_checked_by_id is not None
        )

    @property
    def indexed_text(self) -> str:
        return self.text if self.text_released else ""

    def latest_job(self) -> TrackedJob | None:
        """The newest text-extraction job of this file (core.jobs)."""
        return TrackedJob.objects.for_target(self).first()


class OcrPageQuerySet(AccessQuerySet):
    # The text of a flagged page is not the document's text until an editor accepts it:
    # only editors read pages (the released text is on the file).
    access_rule = AccessRule(grants=[])

    def held(self):
        """Pages whose text waits for an editor."""
        return self.filter(flag__in=HELD_FLAGS, accepted_by__isnull=True)


class OcrPage(models.Model):
    """One OCR'd page of a file: its best reading, the quality flag and the reason, and how
    the page was read (first pass or a retry). Pages other than ok stay out of the file's
    text until an editor accepts them."""

    file = models.ForeignKey(
        DocumentFile, on_delete=models.CASCADE, related_name="ocr_pages", verbose_name=_("tệp")
    )
    number = models.PositiveIntegerField(_("trang số"))
    text = models.TextField(_("văn bản nhận dạng"), blank=True)
    flag = models.CharField(_("đánh giá"), max_length=20, choices=QualityFlag.choices)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    confidence = models.FloatField(_("độ tin cậy (%)"), null=True, blank=True)
    chars = models.PositiveIntegerField(_("số ký tự đọc được"), default=0)
    expected_chars = models.PositiveIntegerField(_("số ký tự ước tính từ ảnh"), default=0)
    method = models.CharField(_("cách đọc"), max_length=80, blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người chấp nhận"),
    )
    accepted_at = models.DateTimeField(_("ngày chấp nhận"), null=True, blank=True)

    objects = OcrPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("trang OCR")
        verbose_name_plural = _("trang OCR")
        ordering = ["file", "number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="library_ocrpage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.file_id} tr. {self.number}"

    @property
    def released(self) -> bool:
        return self.flag == QualityFlag.OK or self.accepted_by_id is not None


# ---------------------------------------------------------------------------
# Usage statistics (no visitor data: counters only)
# ---------------------------------------------------------------------------
class UsageMonth(models.Model):
    """Views and downloads of a document in one month. No IP address or visitor id is stored."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="usage", verbose_name=_("tài liệu")
    )
    month = models.DateField(_("tháng"))
    views = models.PositiveIntegerField(_("lượt xem"), default=0)
    downloads = models.PositiveIntegerField(_("lượt tải"), default=0)

    class Meta:
        verbose_name = _("thống kê sử dụng")
        verbose_name_plural = _("thống kê sử dụng")
        ordering = ["document", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["document", "month"], name="library_usage_month_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.month:%m/%Y}"
