"""The regional network: partner OAI-PMH repositories (sources), the runs that harvest them,
and the union catalogue of harvested records, with duplicates across sources clustered.

Harvested records are library records of their own kind: they keep their provenance (source,
original identifier, datestamp, link to the original), are never edited here and never leave
through the center's own OAI-PMH (which serves `library.Document` only). `PartnerRecord` holds
the demo partner repositories the platform serves itself (`partner.py`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sti.core.access import PUBLIC, AccessQuerySet, AccessRule, Grant
from sti.core.models import ChoiceLabelsMixin, TrackedJob
from sti.harvest.choices import HarvestMode, RunOutcome

GRANULARITY_SECOND = "YYYY-MM-DDThh:mm:ssZ"
GRANULARITY_DAY = "YYYY-MM-DD"


class SourceQuerySet(AccessQuerySet):
    # Sources, their settings and errors are the center's staff's business: editors only.
    access_rule = AccessRule(grants=[])

    def due(self, now):
        """Active sources with a schedule whose period has passed since the last attempt."""
        return [
            source
            for source in self.filter(active=True, schedule_hours__gt=0)
            if source.last_attempt_at is None
            or (now - source.last_attempt_at).total_seconds() >= source.schedule_hours * 3600
        ]


class Source(models.Model):
    """A partner's OAI-PMH repository, with what Identify, ListMetadataFormats and ListSets
    told about it and what the editor chose to harvest."""

    name = models.CharField(_("tên nguồn"), max_length=200)
    base_url = models.URLField(_("địa chỉ OAI-PMH (base URL)"), max_length=500, unique=True)
    repository_name = models.CharField(_("tên kho (Identify)"), max_length=300, blank=True)
    admin_email = models.CharField(_("thư điện tử quản trị"), max_length=200, blank=True)
    granularity = models.CharField(
        _("độ chi tiết thời gian"), max_length=30, default=GRANULARITY_DAY
    )
    earliest_datestamp = models.CharField(_("mốc thời gian sớm nhất"), max_length=30, blank=True)
    deleted_record = models.CharField(_("chính sách bản ghi xóa"), max_length=20, blank=True)
    formats_offered = models.JSONField(_("định dạng có sẵn"), default=list, blank=True)
    sets_offered = models.JSONField(_("các tập có sẵn"), default=list, blank=True)
    metadata_prefix = models.CharField(_("định dạng thu thập"), max_length=50, default="oai_dc")
    sets = models.JSONField(
        _("tập thu thập"), default=list, blank=True, help_text=_("Để trống: thu thập cả kho.")
    )
    schedule_hours = models.PositiveIntegerField(
        _("chu kỳ thu thập (giờ)"), default=24, help_text=_("0: chỉ thu thập khi yêu cầu.")
    )
    delay_seconds = models.FloatField(
        _("nghỉ giữa hai yêu cầu (giây)"), default=settings.STI_HARVEST_DELAY_SECONDS
    )
    active = models.BooleanField(_("đang thu thập"), default=True)
    # Where the next incremental harvest starts (the responseDate of the last complete one).
    harvested_until = models.CharField(_("đã thu thập đến"), max_length=30, blank=True)
    # An unfinished harvest: mode, sets left, the next resumption token, the responseDate.
    resume_state = models.JSONField(_("trạng thái dở dang"), default=dict, blank=True)
    last_attempt_at = models.DateTimeField(_("lần thu thập gần nhất"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("lần thành công gần nhất"), null=True, blank=True)
    failing_since = models.DateTimeField(_("lỗi liên tục từ"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người đăng ký"),
    )
    created_at = models.DateTimeField(_("ngày đăng ký"), auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("nguồn thu thập")
        verbose_name_plural = _("nguồn thu thập")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("harvest:source", args=[self.pk])

    @property
    def day_granularity(self) -> bool:
        return self.granularity != GRANULARITY_SECOND


class HarvestRunQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[])  # editors only, like their sources


class HarvestRun(ChoiceLabelsMixin, models.Model):
    """One harvest of a source: what it added, updated, deleted, and the records it refused."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="runs", verbose_name=_("nguồn")
    )
    job = models.ForeignKey(
        TrackedJob,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("công việc nền"),
    )
    mode = models.CharField(_("kiểu"), max_length=20, choices=HarvestMode.choices)
    harvest_from = models.CharField(_("từ (from)"), max_length=30, blank=True)
    outcome = models.CharField(
        _("kết quả"), max_length=20, choices=RunOutcome.choices, default=RunOutcome.RUNNING
    )
    started_at = models.DateTimeField(_("bắt đầu"), auto_now_add=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("số trang"), default=0)
    seen = models.PositiveIntegerField(_("bản ghi nhận được"), default=0)
    added = models.PositiveIntegerField(_("thêm mới"), default=0)
    updated = models.PositiveIntegerField(_("cập nhật"), default=0)
    deleted = models.PositiveIntegerField(_("xóa"), default=0)
    errors = models.PositiveIntegerField(_("lỗi"), default=0)
    retries = models.PositiveIntegerField(_("số lần thử lại"), default=0)
    problems = models.JSONField(_("bản ghi lỗi"), default=list, blank=True)
    error = models.TextField(_("lỗi dừng thu thập"), blank=True)

    objects = HarvestRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần thu thập")
        verbose_name_plural = _("lần thu thập")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%d/%m/%Y %H:%M}"


class HarvestedRecordQuerySet(AccessQuerySet):
    # Partners publish this metadata openly: everyone may find it.
    access_rule = AccessRule(grants=[Grant(PUBLIC)])

    def representatives(self):
        """One record per cluster of duplicates (and every record that has none)."""
        return self.filter(Q(cluster__isnull=True) | Q(cluster=models.F("pk")))

    def cluster_of(self, record: HarvestedRecord):
        if record.cluster is None:
            return self.filter(pk=record.pk)
        return self.filter(cluster=record.cluster)

    def counts_by_source(self) -> dict[int, int]:
        return dict(
            self.order_by()
            .values("source")
            .annotate(n=models.Count("pk"))
            .values_list("source", "n")
        )


class HarvestedRecord(models.Model):
    """A record of the union catalogue, as a partner describes it (Dublin Core or MARC)."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="records", verbose_name=_("nguồn")
    )
    identifier = models.CharField(_("định danh gốc (OAI)"), max_length=300)
    datestamp = models.CharField(_("mốc thời gian gốc"), max_length=30)
    set_specs = models.JSONField(_("tập"), default=list, blank=True)
    title = models.CharField(_("nhan đề"), max_length=1000)
    creators = models.JSONField(_("tác giả"), default=list, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    description = models.TextField(_("tóm tắt"), blank=True)
    subjects = models.JSONField(_("chủ đề"), default=list, blank=True)
    publisher = models.CharField(_("nhà xuất bản"), max_length=500, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=20, blank=True)
    doc_type = models.CharField(_("loại"), max_length=200, blank=True)
    url = models.URLField(_("liên kết tới bản gốc"), max_length=1000, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, db_index=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True, db_index=True)
    # Matching keys (folded): the title and the first author's name as a sorted bag of words.
    title_key = models.CharField(max_length=1000, editable=False)
    author_key = models.CharField(max_length=200, blank=True, editable=False)
    title_head = models.CharField(max_length=200, blank=True, editable=False)
    # Duplicates share `cluster` (the smallest pk among them); alone: null.
    cluster = models.PositiveBigIntegerField(_("cụm trùng"), null=True, blank=True, db_index=True)
    # The center's own document this record (with its whole cluster) is the same work as: the
    # work is then shown once, as that document, with this record among its sources.
    local_document = models.ForeignKey(
        "library.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tài liệu của Trung tâm"),
    )
    needs_cluster = models.BooleanField(default=True, editable=False)
    harvested_at = models.DateTimeField(_("ngày thu thập"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    objects = HarvestedRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản ghi thu thập")
        verbose_name_plural = _("bản ghi thu thập")
        ordering = ["source", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "identifier"], name="harvest_record_source_identifier_unique"
            )
        ]
        indexes = [
            models.Index(fields=["year", "author_key"], name="harvest_record_match_idx"),
            models.Index(fields=["year", "title_head"], name="harvest_record_head_idx"),
            models.Index(fields=["needs_cluster"], name="harvest_record_pending_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("harvest:record", args=[self.pk])


class LocalWork(models.Model):
    """The matching keys (`dedup.Keys`) of one of the center's documents the public may see,
    kept by the harvester (`jobs.refresh_local_works`) so that harvested records are matched
    with the center's own documents by the same blocking as across sources: a few queries a
    batch, not a scan of the library."""

    document = models.OneToOneField(
        "library.Document",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tài liệu"),
    )
    document_updated_at = models.DateTimeField(_("tài liệu cập nhật lúc"))
    doi = models.CharField(max_length=200, blank=True, db_index=True)
    isbn = models.CharField(max_length=20, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    title_key = models.CharField(max_length=1000)
    author_key = models.CharField(max_length=200, blank=True)
    title_head = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("khóa so trùng tài liệu của Trung tâm")
        verbose_name_plural = _("khóa so trùng tài liệu của Trung tâm")
        ordering = ["document"]
        indexes = [
            models.Index(fields=["year", "author_key"], name="harvest_local_match_idx"),
            models.Index(fields=["year", "title_head"], name="harvest_local_head_idx"),
        ]

    def __str__(self) -> str:
        return self.title_key


class PartnerRecord(models.Model):
    """A record of a demo partner repository the platform serves itself over OAI-PMH
    (`/mang-luoi/doi-tac/<repository>/oai`), so that the union catalogue can be shown and
    tested without another center's server. Deleted records stay as tombstones."""

    repository = models.SlugField(_("kho đối tác"), max_length=50)
    local_id = models.CharField(_("mã"), max_length=100)
    datestamp = models.DateTimeField(_("mốc thời gian"), db_index=True)
    deleted = models.BooleanField(_("đã xóa"), default=False)
    set_spec = models.CharField(_("tập"), max_length=100, blank=True)
    metadata = models.JSONField(_("Dublin Core"), default=dict)

    class Meta:
        verbose_name = _("bản ghi kho đối tác (trình diễn)")
        verbose_name_plural = _("bản ghi kho đối tác (trình diễn)")
        ordering = ["repository", "datestamp", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "local_id"], name="harvest_partner_record_unique"
            )
        ]
        indexes = [
            models.Index(fields=["repository", "datestamp", "id"], name="harvest_partner_page_idx")
        ]

    def __str__(self) -> str:
        return f"{self.repository}:{self.local_id}"
