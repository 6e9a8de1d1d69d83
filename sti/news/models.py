"""News articles and periodicals (issue 13).

Read this file first if you are new: every model of the platform has the same parts, here in
their simplest form.

- A QuerySet subclassing `AccessQuerySet` declares, once, who may see the records
  (`access_rule`). Pages, the API, feeds, exports, the search index and the home figures all
  read `Article.objects.visible_to(user)`, so they cannot disagree.
- Fields carry translated `verbose_name`s; `Meta` has an ordering and named constraints; the
  model has `__str__` and `get_absolute_url`.
- No workflow here: state changes go through `lifecycle.py`, writes through `services.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sti.core.access import PUBLIC, REPORTER, AccessQuerySet, AccessRule, Grant
from sti.core.links import record_url
from sti.core.models import FieldOfScience, TrackedJob
from sti.core.reports import per_period, within
from sti.news.choices import ArticleStatus, IssueStatus, SeriesKind

# Articles the public may read once their moment has come. A scheduled article is public
# from `publish_at` even if no worker has run yet: the grant below compares `publish_at` with
# the current moment (`timed=True`), and the search index stores the same moment. The worker
# only flips "scheduled" to "published" afterwards (jobs.publish_due).
PUBLIC_STATES = (ArticleStatus.SCHEDULED, ArticleStatus.PUBLISHED)


class PublicQuerySet(AccessQuerySet):
    """Reference data everyone may read (categories, tags, series)."""

    access_rule = AccessRule(grants=[Grant(PUBLIC)])


# ---------------------------------------------------------------------------
# Categories and tags
# ---------------------------------------------------------------------------
class Category(models.Model):
    """A section of the news page ("Hoạt động KH&CN", "Chuyển giao công nghệ"…); editors keep
    the list."""

    name = models.CharField(_("tên chuyên mục"), max_length=120, unique=True)
    slug = models.SlugField(_("mã (slug)"), max_length=80, unique=True)
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:article_list") + f"?category={self.slug}"


class Tag(models.Model):
    """A free keyword, stored once per folded spelling ("Lúa gạo" and "lua gao" are one tag)."""

    name = models.CharField(_("thẻ"), max_length=80)
    slug = models.SlugField(_("mã (slug)"), max_length=90, unique=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("thẻ")
        verbose_name_plural = _("thẻ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:article_list") + f"?tag={self.slug}"


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------
class ArticleQuerySet(AccessQuerySet):
    # Everyone: published and scheduled articles from their publication moment.
    # Reporters of the writing organization: all its articles, drafts included (they write
    # them). Plain members of the organization see only what the public sees: a draft is
    # not news yet. Editors see everything.
    access_rule = AccessRule(
        grants=[
            Grant(
                PUBLIC,
                when=Q(status__in=PUBLIC_STATES),
                available_from="publish_at",
                timed=True,
            ),
            Grant(REPORTER, field="organization_id"),
        ]
    )

    def public(self):
        return self.visible_to(None)

    def report_published(self, periods, organizations=None) -> list[dict[str, int]]:
        """{category slug: number} of the articles published in each period (named report
        method read by sti.analytics, one query); with `organizations`, those they wrote."""
        queryset = self.filter(status=ArticleStatus.PUBLISHED)
        if organizations is not None:
            queryset = queryset.filter(organization__in=organizations.values("pk"))
        found = per_period(queryset, periods, within("publish_at__date"), "category__slug")
        return [{slug or "": n for slug, n in counts.items()} for counts in found]

    def due(self, now):
        """Scheduled articles whose moment has come (the worker publishes them)."""
        return self.filter(status=ArticleStatus.SCHEDULED, publish_at__lte=now)


class Article(models.Model):
    """A news item written by an organization's reporter and published by the center."""

    title = models.CharField(_("tiêu đề"), max_length=300)
    summary = models.TextField(
        _("tóm tắt (sapo)"), blank=True, help_text=_("Hai, ba câu in đậm dưới tiêu đề.")
    )
    body = models.TextField(_("nội dung"))
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=ArticleStatus.choices,
        default=ArticleStatus.DRAFT,
        db_index=True,
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="news_articles",
        verbose_name=_("đơn vị đưa tin"),
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=_("chuyên mục"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("thẻ"))
    fields = models.ManyToManyField(
        FieldOfScience, blank=True, related_name="news_articles", verbose_name=_("lĩnh vực KH&CN")
    )
    lead_image = models.ImageField(_("ảnh đại diện"), upload_to="news/anh/%Y/", blank=True)
    lead_image_alt = models.CharField(
        _("mô tả ảnh (alt)"),
        max_length=300,
        blank=True,
        help_text=_("Bắt buộc khi có ảnh: người dùng trình đọc màn hình nghe câu này."),
    )
    video_file = models.FileField(_("tệp video"), upload_to="news/video/%Y/", blank=True)
    video_url = models.URLField(
        _("liên kết video"),
        blank=True,
        help_text=_("YouTube, Vimeo (nhúng chế độ riêng tư) hoặc liên kết bất kỳ."),
    )
    publish_at = models.DateTimeField(_("thời điểm đăng"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người viết"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài tin")
        verbose_name_plural = _("bài tin")
        ordering = ["-publish_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lead_image="") | ~Q(lead_image_alt=""),
                name="news_article_image_has_alt",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATES) | Q(publish_at__isnull=False),
                name="news_article_public_has_moment",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("news:article_detail", self.pk)

    @property
    def image_url(self) -> str:
        """The lead image's address (`{% url 'news:article_image' pk %}`, from the
        remembered pattern: the list shows a dozen)."""
        return record_url("news:article_image", self.pk)


class RelatedRecord(models.Model):
    """A record an article points to (a library document, a task, later an offer or a
    course). Only models registered as linkable (`sti.core.registries.register_linkable`)
    may be pointed to, and each is shown only to those its own access rule admits."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="links", verbose_name=_("bài tin")
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("loại hồ sơ")
    )
    object_id = models.PositiveBigIntegerField(_("mã hồ sơ"))
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    record = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("hồ sơ liên quan")
        verbose_name_plural = _("hồ sơ liên quan")
        ordering = ["article", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "content_type", "object_id"], name="news_related_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model}:{self.object_id}"


# ---------------------------------------------------------------------------
# Periodicals
# ---------------------------------------------------------------------------
class Series(models.Model):
    """A periodical of the center (bản tin chọn lọc, tổng luận, tạp chí…). Its published
    issues become documents of its library collection."""

    name = models.CharField(_("tên ấn phẩm"), max_length=200, unique=True)
    slug = models.SlugField(_("mã (slug)"), max_length=80, unique=True)
    kind = models.CharField(_("loại ấn phẩm"), max_length=20, choices=SeriesKind.choices)
    description = models.TextField(_("giới thiệu"), blank=True)
    issn = models.CharField(_("ISSN"), max_length=9, blank=True)
    collection = models.ForeignKey(
        "library.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bộ sưu tập thư viện"),
        help_text=_("Số đã phát hành được lưu vào bộ sưu tập này của thư viện số."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("ấn phẩm định kỳ")
        verbose_name_plural = _("ấn phẩm định kỳ")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:series_detail", args=[self.slug])


class IssueQuerySet(AccessQuerySet):
    # Published issues are public; issues being edited are seen by editors only.
    access_rule = AccessRule(grants=[Grant(PUBLIC, when=Q(status=IssueStatus.PUBLISHED))])


class Issue(models.Model):
    """One issue of a series: its contents (items), its PDF and DOCX, and, once published,
    the library document that carries it (one document per issue, updated on republishing)."""

    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="issues", verbose_name=_("ấn phẩm")
    )
    number = models.PositiveIntegerField(_("số"))
    year = models.PositiveSmallIntegerField(_("năm"))
    issued = models.DateField(_("ngày phát hành"))
    title = models.CharField(_("chủ đề của số"), max_length=300, blank=True)
    summary = models.TextField(_("giới thiệu số"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=IssueStatus.choices,
        default=IssueStatus.DRAFT,
        db_index=True,
    )
    fields = models.ManyToManyField(
        FieldOfScience, blank=True, related_name="+", verbose_name=_("lĩnh vực KH&CN")
    )
    pdf = models.FileField(_("tệp PDF"), upload_to="news/an-pham/", blank=True)
    docx = models.FileField(_("tệp DOCX"), upload_to="news/an-pham/", blank=True)
    document = models.OneToOneField(
        "library.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="periodical_issue",
        verbose_name=_("tài liệu thư viện"),
    )
    build_job = models.OneToOneField(
        TrackedJob,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("công việc tạo tệp"),
    )
    published_at = models.DateTimeField(_("ngày đăng"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("số ấn phẩm")
        verbose_name_plural = _("số ấn phẩm")
        ordering = ["-issued", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "number"], name="news_issue_number_once"
            )
        ]

    def __str__(self) -> str:
        name = _("%(series)s số %(number)s/%(year)s") % {
            "series": self.series.name,
            "number": self.number,
            "year": self.year,
        }
        return f"{name}: {self.title}" if self.title else str(name)

    def get_absolute_url(self) -> str:
        return record_url("news:issue_detail", self.pk)


class IssueItem(models.Model):
    """One entry of an issue: a title and a text, or a record of the platform (a document,
    a task…) summed up at assembly time, in a section."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="items", verbose_name=_("số ấn phẩm")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    section = models.CharField(_("mục"), max_length=120, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=500)
    text = models.TextField(_("nội dung"), blank=True)
    terms = models.CharField(
        _("chỉ mục (tổ chức)"),
        max_length=500,
        blank=True,
        help_text=_("Tên tổ chức cho phần chỉ mục cuối số, cách nhau bằng dấu chấm phẩy (;)."),
    )
    content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("loại hồ sơ"),
    )
    object_id = models.PositiveBigIntegerField(_("mã hồ sơ"), null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("bài trong số")
        verbose_name_plural = _("bài trong số")
        ordering = ["issue", "position", "id"]

    def __str__(self) -> str:
        return self.title
