"""Statistical report forms as versioned data, reporting periods and submissions.

Modelled after DHIS2: a regime (the legal text in force) has forms (data sets); a form has
sections and indicators (data elements), each cut by breakdowns (category combinations) whose
options come from code lists; validation rules have a left side, an operator and a right side.
A period says which regime it uses, so a second regime (TT 45/2025) lives beside TT 15/2018.

An organization files one `Submission` per period and form: its draft values are editable
until it is submitted; every submission freezes a `SubmissionVersion` (values as JSON and one
`SubmissionValue` row per cell, for aggregation), so versions can be compared.

Cell keys: an indicator's total is its code ("02.01"); a breakdown cell is
"<indicator>|<breakdown>.<option>" ("02.01|qual.TS").
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sti.core.access import PUBLIC, REPORTER, AccessQuerySet, AccessRule, Grant
from sti.publishing.models import BuiltPublication
from sti.stats.choices import (
    AggregateKind,
    ReminderKind,
    RuleKind,
    RuleLevel,
    SubmissionSourceKind,
    SubmissionStatus,
    ValueKind,
)

TOTAL = ""  # the option key of an indicator's total cell


def cell_key(indicator_code: str, option_key: str = TOTAL) -> str:
    return f"{indicator_code}|{option_key}" if option_key else indicator_code


def split_key(key: str) -> tuple[str, str]:
    code, _sep, option = key.partition("|")
    return code, option


class _Bilingual:
    """`label` in the current language (English when set and the page is English)."""

    @property
    def label(self) -> str:
        name_en = getattr(self, "name_en", "")
        return name_en if name_en and (get_language() or "vi").startswith("en") else self.name


class PublicQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[Grant(PUBLIC)])


class Regime(_Bilingual, models.Model):
    """A reporting regime: the circular whose forms are filed (TT 15/2018, TT 45/2025…)."""

    code = models.SlugField(_("mã chế độ"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_until = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    provenance = models.TextField(_("nguồn gốc dữ liệu biểu mẫu"), blank=True)
    deadline_month = models.PositiveSmallIntegerField(_("tháng hạn nộp"), default=2)
    deadline_day = models.PositiveSmallIntegerField(_("ngày hạn nộp"), default=1)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("chế độ báo cáo")
        verbose_name_plural = _("chế độ báo cáo")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.legal_basis})"

    def get_absolute_url(self) -> str:
        return reverse("stats:regime_detail", args=[self.code])

    def default_deadline(self, year: int) -> dt.date:
        """The deadline of the period of `year`: by default 1 February of the next year."""
        return dt.date(year + 1, self.deadline_month, self.deadline_day)


class Breakdown(_Bilingual, models.Model):
    """A category (DHIS2) cutting indicators into cells: qualification, gender, S&T field…"""

    regime = models.ForeignKey(
        Regime, on_delete=models.CASCADE, related_name="breakdowns", verbose_name=_("chế độ")
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    codelist = models.CharField(
        _("danh mục nguồn"),
        max_length=100,
        blank=True,
        help_text=_("Danh mục dùng chung mà các phân tổ lấy từ đó, ví dụ core.FieldOfScience."),
    )

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân tổ")
        verbose_name_plural = _("phân tổ")
        ordering = ["regime", "code"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "code"], name="stats_breakdown_unique")
        ]

    def __str__(self) -> str:
        return self.name


class BreakdownOption(_Bilingual, models.Model):
    breakdown = models.ForeignKey(
        Breakdown, on_delete=models.CASCADE, related_name="options", verbose_name=_("phân tổ")
    )
    code = models.CharField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("giá trị phân tổ")
        verbose_name_plural = _("giá trị phân tổ")
        ordering = ["breakdown", "order"]
        constraints = [
            models.UniqueConstraint(fields=["breakdown", "code"], name="stats_option_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return f"{self.breakdown.code}.{self.code}"


class ReportForm(_Bilingual, models.Model):
    """One form of a regime (a DHIS2 data set), e.g. 02/KHCN-NL."""

    regime = models.ForeignKey(
        Regime, on_delete=models.CASCADE, related_name="forms", verbose_name=_("chế độ")
    )
    code = models.CharField(_("ký hiệu biểu"), max_length=40)
    number = models.CharField(_("số biểu"), max_length=10)
    name = models.CharField(_("tên biểu"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    provenance = models.TextField(_("nguồn gốc bố cục"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("biểu mẫu thống kê")
        verbose_name_plural = _("biểu mẫu thống kê")
        ordering = ["regime", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "code"], name="stats_form_unique"),
            models.UniqueConstraint(fields=["regime", "number"], name="stats_form_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Section(_Bilingual, models.Model):
    form = models.ForeignKey(
        ReportForm, on_delete=models.CASCADE, related_name="sections", verbose_name=_("biểu")
    )
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên phần"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    breakdown_codes = models.JSONField(
        _("các phân tổ (cột)"),
        default=list,
        blank=True,
        help_text=_("Mã các phân tổ, theo thứ tự."),
    )
    has_total = models.BooleanField(_("có cột tổng số"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("phần của biểu")
        verbose_name_plural = _("phần của biểu")
        ordering = ["form", "order"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="stats_section_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(_Bilingual, models.Model):
    """A row of a form (a DHIS2 data element): a total cell and one cell per breakdown option."""

    regime = models.ForeignKey(
        Regime, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("chế độ")
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("phần")
    )
    code = models.CharField(_("mã số"), max_length=20)
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    kind = models.CharField(
        _("kiểu giá trị"), max_length=10, choices=ValueKind.choices, default=ValueKind.INTEGER
    )
    breakdown_codes = models.JSONField(
        _("phân tổ riêng"),
        null=True,
        blank=True,
        help_text=_("Để trống: dùng các phân tổ của phần; [] : chỉ có cột tổng số."),
    )
    indent = models.PositiveSmallIntegerField(_("mức thụt lề"), default=0)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["section__form__order", "section__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "code"], name="stats_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def columns(self) -> list[str]:
        return (
            self.section.breakdown_codes if self.breakdown_codes is None else self.breakdown_codes
        )


class ValidationRule(models.Model):
    """A check of a form's values: `left operator right`, each side a sum of cell keys.

    REQUIRED and NON_NEGATIVE read `left` as indicator codes (every cell of each);
    YEAR_CHANGE compares `left` with the same cells of the previous period (`threshold` %).
    """

    form = models.ForeignKey(
        ReportForm, on_delete=models.CASCADE, related_name="rules", verbose_name=_("biểu")
    )
    code = models.CharField(_("mã"), max_length=40)
    kind = models.CharField(_("loại"), max_length=20, choices=RuleKind.choices)
    left = models.CharField(_("vế trái"), max_length=1000)
    operator = models.CharField(_("phép so sánh"), max_length=2, blank=True)
    right = models.CharField(_("vế phải"), max_length=1000, blank=True)
    threshold = models.DecimalField(
        _("ngưỡng (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    level = models.CharField(
        _("mức"), max_length=10, choices=RuleLevel.choices, default=RuleLevel.ERROR
    )
    message = models.CharField(_("thông báo"), max_length=500)
    message_en = models.CharField(_("thông báo tiếng Anh"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["form", "order"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="stats_rule_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.left} {self.operator} {self.right}".strip()

    @property
    def text(self) -> str:
        en = (get_language() or "vi").startswith("en")
        return self.message_en if en and self.message_en else self.message


class Period(models.Model):
    """A reporting period: the calendar year reported on, its deadline and its regime."""

    year = models.PositiveSmallIntegerField(_("năm báo cáo"), unique=True)
    regime = models.ForeignKey(
        Regime, on_delete=models.PROTECT, related_name="periods", verbose_name=_("chế độ")
    )
    deadline = models.DateField(_("hạn nộp"))
    remind_days_before = models.PositiveSmallIntegerField(_("nhắc trước hạn (ngày)"), default=7)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(_("Kỳ báo cáo năm %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("stats:board", args=[self.year])


class SubmissionQuerySet(AccessQuerySet):
    # The organization's reporters (not its plain members) and editors.
    access_rule = AccessRule(grants=[Grant(REPORTER, field="organization_id")])

    def late(self, today=None):
        today = today or timezone.localdate()
        return self.filter(
            status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED],
            period__deadline__lt=today,
        )


class Submission(models.Model):
    """What one organization must file for one form of one period (the assignment), with its
    draft values and its review state."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("kỳ")
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="stat_submissions",
        verbose_name=_("tổ chức"),
    )
    form = models.ForeignKey(
        ReportForm, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("biểu")
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    values = models.JSONField(_("số liệu đang nhập"), default=dict, blank=True)
    prefilled = models.JSONField(_("ô điền sẵn"), default=list, blank=True)
    source = models.CharField(
        _("nguồn nhập"), max_length=10, choices=SubmissionSourceKind.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    review_note = models.TextField(_("ý kiến của biên tập viên"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo thống kê")
        verbose_name_plural = _("báo cáo thống kê")
        ordering = ["period", "form__order", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organization", "form"], name="stats_submission_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form.code} – {self.organization} ({self.period.year})"

    def get_absolute_url(self) -> str:
        return reverse("stats:submission_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)

    def is_late(self, today=None) -> bool:
        return self.is_editable and (today or timezone.localdate()) > self.period.deadline


class SubmissionVersionQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[Grant(REPORTER, field="submission__organization_id")])


class SubmissionVersion(models.Model):
    """The values of one submission as they were submitted: frozen, never edited."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="versions", verbose_name=_("báo cáo")
    )
    number = models.PositiveIntegerField(_("lần nộp"))
    values = models.JSONField(_("số liệu"), default=dict)
    source = models.CharField(
        _("nguồn nhập"), max_length=10, choices=SubmissionSourceKind.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người nộp"),
    )
    created_at = models.DateTimeField(_("thời điểm nộp"), auto_now_add=True)

    objects = SubmissionVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")
        ordering = ["submission", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="stats_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"


class SubmissionValueQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[Grant(REPORTER, field="version__submission__organization_id")])


class SubmissionValue(models.Model):
    """One cell of a submitted version (the normalized table aggregation reads)."""

    version = models.ForeignKey(
        SubmissionVersion,
        on_delete=models.CASCADE,
        related_name="cells",
        verbose_name=_("phiên bản"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("chỉ tiêu")
    )
    option = models.ForeignKey(
        BreakdownOption,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("giá trị phân tổ"),
    )
    number = models.DecimalField(_("số"), max_digits=20, decimal_places=4, null=True)
    text = models.TextField(_("văn bản"), blank=True)

    objects = SubmissionValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("ô số liệu")
        verbose_name_plural = _("ô số liệu")
        ordering = ["version", "indicator", "option"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "indicator", "option"], name="stats_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.option or ''}: {self.number or self.text}"


class ReminderQuerySet(AccessQuerySet):
    access_rule = AccessRule(grants=[])  # editors only


class Reminder(models.Model):
    """A reminder e-mail sent for a submission; one per kind and day (idempotent sending)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("báo cáo")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField(_("ngày nhắc"))
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    recipients = models.PositiveSmallIntegerField(_("số người nhận"), default=0)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("thư nhắc")
        verbose_name_plural = _("thư nhắc")
        ordering = ["-due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "kind", "due_on"], name="stats_reminder_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.submission}"


# ---------------------------------------------------------------------------
# Aggregates: derived data (like DHIS2's analytics tables), rebuilt by the worker
# ---------------------------------------------------------------------------
class AggregateSetQuerySet(AccessQuerySet):
    # Editors see every period's state; the public sees a period once it is published.
    access_rule = AccessRule(grants=[])

    def published(self):
        return self.filter(published_at__isnull=False)


class AggregateSet(models.Model):
    """The aggregates of one period: when they were last rebuilt from the accepted
    submissions, and whether (and when) an editor published them."""

    period = models.OneToOneField(
        Period, on_delete=models.CASCADE, related_name="aggregate_set", verbose_name=_("kỳ")
    )
    built_at = models.DateTimeField(_("tổng hợp lúc"), null=True, blank=True)
    organizations = models.PositiveIntegerField(_("số tổ chức được tổng hợp"), default=0)
    submissions = models.PositiveIntegerField(_("số báo cáo được tổng hợp"), default=0)
    build_seconds = models.FloatField(_("thời gian tổng hợp (giây)"), default=0)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người công bố"),
    )
    published_built_at = models.DateTimeField(_("bản công bố tổng hợp lúc"), null=True, blank=True)

    objects = AggregateSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ số liệu tổng hợp")
        verbose_name_plural = _("bộ số liệu tổng hợp")
        ordering = ["-period__year"]

    def __str__(self) -> str:
        return str(_("Số liệu tổng hợp năm %(year)s") % {"year": self.period.year})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_unpublished_changes(self) -> bool:
        """Rebuilt since it was published: the public still sees the published copy."""
        return self.is_published and self.built_at != self.published_built_at


class AggregateValueQuerySet(AccessQuerySet):
    # Only published rows are public; the current (draft) rows are for editors.
    access_rule = AccessRule(grants=[])

    def public(self):
        return self.filter(published=True)


class AggregateValue(models.Model):
    """One aggregated figure: the sum over organizations of one cell (indicator code and
    breakdown option) for one group of organizations (`by` = "" for all of them), or one
    national indicator. `published` rows are the copy the public reads; the others are the
    current build. Codes are stored as text so a read needs no join."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="aggregates", verbose_name=_("kỳ")
    )
    published = models.BooleanField(_("bản công bố"), default=False)
    kind = models.CharField(
        _("loại"), max_length=10, choices=AggregateKind.choices, default=AggregateKind.CELL
    )
    form = models.CharField(_("số biểu"), max_length=10, blank=True)
    indicator = models.CharField(_("mã chỉ tiêu"), max_length=20)
    option = models.CharField(_("giá trị phân tổ"), max_length=60, blank=True)
    by = models.CharField(_("phân theo"), max_length=20, blank=True)
    group = models.CharField(_("nhóm"), max_length=40, blank=True)
    value = models.DecimalField(_("giá trị"), max_digits=24, decimal_places=4)
    organizations = models.PositiveIntegerField(_("số tổ chức"), default=0)

    objects = AggregateValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        ordering = ["period", "kind", "indicator", "option", "by", "group"]
        indexes = [
            models.Index(fields=["period", "published", "by"], name="stats_agg_read"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "published", "kind", "indicator", "option", "by", "group"],
                name="stats_aggregate_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.option} [{self.by}:{self.group}] = {self.value}"


# ---------------------------------------------------------------------------
# The statistical yearbook
# ---------------------------------------------------------------------------
class YearbookBuildQuerySet(AccessQuerySet):
    # A yearbook holds published aggregates only: every build is public; pages list the
    # finished ones to the public and every one to editors.
    access_rule = AccessRule(grants=[Grant(PUBLIC)])

    def finished(self):
        return self.filter(job__state="done").exclude(pdf="")


class YearbookBuild(BuiltPublication):
    """A generated statistical yearbook ("ấn phẩm thống kê KH&CN") of one year, DOCX + PDF,
    built by the worker from the period's published aggregates (progress on its job)."""

    year = models.PositiveSmallIntegerField(_("năm"))
    docx = models.FileField(_("tệp DOCX"), upload_to="stats/yearbooks/", blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to="stats/yearbooks/", blank=True)

    objects = YearbookBuildQuerySet.as_manager()

    class Meta:
        verbose_name = _("ấn phẩm thống kê KH&CN")
        verbose_name_plural = _("ấn phẩm thống kê KH&CN")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(_("Ấn phẩm thống kê KH&CN năm %(year)s") % {"year": self.year})
