"""Code lists (versioned reference data), the audit trail and tracked background jobs."""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sti.core.choices import AdminUnitKind, AuditAction, JobState
from sti.core.codelists import remembered

_choice_labels: dict[tuple, dict] = {}


class ChoiceLabelsMixin:
    """`get_FOO_display()` from a table of labels per field and language, built once.

    Django's own builds a dictionary of every choice on each call, hashing each lazy label
    (a translation each): on a list of 25 records showing three such fields, thousands of
    translations per page. The choices of a field are fixed by its class, so the table is
    kept for the life of the process. List-page models inherit it before `models.Model`."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        key = (field, get_language())
        labels = _choice_labels.get(key)
        if labels is None:
            labels = {make_hashable(k): str(v) for k, v in field.flatchoices}
            _choice_labels[key] = labels
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class CodeListVersion(models.Model):
    """A version of a code list, e.g. the S&T field classification of QĐ 12/2008 or TT 24/2025.

    Both versions of a list coexist: old records keep the codes they were filed under.
    """

    list_name = models.CharField(_("danh mục"), max_length=50)
    version = models.CharField(_("phiên bản"), max_length=30)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=200, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    is_current = models.BooleanField(_("đang dùng"), default=False)

    class Meta:
        verbose_name = _("phiên bản danh mục")
        verbose_name_plural = _("phiên bản danh mục")
        ordering = ["list_name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["list_name", "version"], name="codelist_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.list_name} {self.version}"


class FieldOfScienceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(version__is_current=True)

    def level(self, level: int):
        return self.filter(level=level)

    def labels(self) -> dict[str, str]:
        """{code: name in the current language} for facet and filter labels."""
        return {
            code: _localized(name, name_en)
            for code, name, name_en in self.values_list("code", "name", "name_en")
        }

    def display_labels(self) -> dict[str, str]:
        """{code: "code – name"} in the current language: how a field is shown to readers."""
        return {
            code: field_display(code, _localized(name, name_en))
            for code, name, name_en in self.values_list("code", "name", "name_en")
        }

    def choices(self) -> list[tuple[str, str]]:
        """(code, "code – name") for select boxes, each level indented under its parent."""
        return [
            (code, "\u2003" * (level - 1) + field_display(code, _localized(name, name_en)))
            for code, name, name_en, level in self.order_by("code").values_list(
                "code", "name", "name_en", "level"
            )
        ]


def current_field_choices(max_level: int = 4) -> list[tuple[str, str]]:
    """`choices()` of the current S&T fields down to `max_level`, remembered by the process
    (`sti.core.codelists.remembered`): the filter of every list page shows them."""
    return remembered(
        ("fields", "choices", max_level),
        lambda: FieldOfScience.objects.current().filter(level__lte=max_level).choices(),
    )


def current_field_labels() -> dict[str, str]:
    """{code: name} of the current S&T fields in the current language, remembered."""
    return remembered(("fields", "labels"), lambda: FieldOfScience.objects.current().labels())


def current_field_display_labels() -> dict[str, str]:
    """{code: "code – name"} of the current S&T fields in the current language, remembered:
    how facets, badges and figures show a field."""
    return remembered(
        ("fields", "display"), lambda: FieldOfScience.objects.current().display_labels()
    )


class FieldLabel(NamedTuple):
    """An S&T field as a list page shows it (`record.field_list`): what `FieldOfScience`
    offers templates (`pk`, `code`, `label`, `display`) without a model instance."""

    pk: int
    code: str
    label: str

    @property
    def display(self) -> str:
        return field_display(self.code, self.label)

    def __str__(self) -> str:
        return self.display


def field_labels_by_pk() -> dict[int, FieldLabel]:
    """Every S&T field (all versions: records keep the codes they were filed under) by primary
    key, in the current language, remembered (`sti.core.codelists.remembered`)."""
    return remembered(
        ("fields", "by_pk"),
        lambda: {
            pk: FieldLabel(pk, code, _localized(name, name_en))
            for pk, code, name, name_en in FieldOfScience.objects.order_by().values_list(
                "pk", "code", "name", "name_en"
            )
        },
    )


def attach_field_lists(records: list, relation: str = "fields") -> list:
    """Give each record `field_list`: its S&T fields (`FieldLabel`s, by code), read in one
    query of the link table only (record id, field id) and named from the remembered code
    list. Returns `records`."""
    if not records:
        return records
    field = type(records[0])._meta.get_field(relation)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    pairs = field.remote_field.through.objects.filter(
        **{f"{source}_id__in": [record.pk for record in records]}
    ).values_list(f"{source}_id", f"{target}_id")
    pairs, labels = list(pairs), field_labels_by_pk()
    missing = {field_id for _record_id, field_id in pairs} - labels.keys()
    if missing:  # added since it was remembered without a signal (bulk_create): read them
        labels.update(
            (pk, FieldLabel(pk, code, _localized(name, name_en)))
            for pk, code, name, name_en in FieldOfScience.objects.filter(
                pk__in=missing
            ).values_list("pk", "code", "name", "name_en")
        )
    by_record: dict = {}
    for record_id, field_id in pairs:
        if field_id in labels:
            by_record.setdefault(record_id, []).append(labels[field_id])
    for record in records:
        record.field_list = sorted(by_record.get(record.pk, ()), key=lambda item: item.code)
    return records


class _FieldListIterable(ModelIterable):
    """Model rows of a queryset made by `with_field_list`, given their `field_list`."""

    def __iter__(self):
        yield from attach_field_lists(list(super().__iter__()))


def with_field_list(queryset: models.QuerySet) -> models.QuerySet:
    """`queryset` whose records come with `record.field_list`, their S&T fields as
    `FieldLabel`s (`attach_field_lists`): one query of the link table per evaluation, the
    names from the remembered code list. A prefetch of the fields instead joins the code
    list and builds a model instance per field (about 3 ms on a list page of 25 tasks), and
    `record.fields.all` on a prefetched record still builds a queryset per record. Filters,
    slices and the paginator keep it (the iterable class travels with the queryset's
    clones); `values()` and the like drop it, as they return no records."""
    queryset = queryset._chain()
    queryset._iterable_class = _FieldListIterable
    return queryset


def field_display(code: str, name: str) -> str:
    """A field as readers see it everywhere: "401 – Trồng trọt", never a bare number."""
    return f"{code} \u2013 {name}" if name else code


def _localized(name: str, name_en: str) -> str:
    """The English name when the page is in English and the code list has one."""
    return name_en if name_en and (get_language() or "").startswith("en") else name


class FieldOfScience(models.Model):
    """A class of the S&T field classification (lĩnh vực KH&CN), levels 1–4."""

    version = models.ForeignKey(
        CodeListVersion, on_delete=models.PROTECT, verbose_name=_("phiên bản")
    )
    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    level = models.PositiveSmallIntegerField(_("cấp"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("lĩnh vực cha"),
    )
    maps_to = models.ManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name=_("tương ứng ở phiên bản khác")
    )

    objects = FieldOfScienceQuerySet.as_manager()

    class Meta:
        verbose_name = _("lĩnh vực KH&CN")
        verbose_name_plural = _("lĩnh vực KH&CN")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="field_code_unique")
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def label(self) -> str:
        return _localized(self.name, self.name_en)

    @property
    def display(self) -> str:
        """ "code – name" in the current language (`{{ field.display }}`)."""
        return field_display(self.code, self.label)


class TaskLevel(models.Model):
    """Management level of an S&T task (cấp quản lý): national, ministry, city, grassroots..."""

    version = models.ForeignKey(
        CodeListVersion, on_delete=models.PROTECT, verbose_name=_("phiên bản")
    )
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên"), max_length=100)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_legacy = models.BooleanField(_("chỉ dùng cho dữ liệu cũ"), default=False)

    class Meta:
        verbose_name = _("cấp quản lý nhiệm vụ")
        verbose_name_plural = _("cấp quản lý nhiệm vụ")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="tasklevel_code_unique")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _localized(self.name, self.name_en)


class AdminUnit(models.Model):
    """An administrative unit (đơn vị hành chính), with the 2025 merger recorded as `merged_into`."""

    version = models.ForeignKey(
        CodeListVersion, on_delete=models.PROTECT, verbose_name=_("phiên bản")
    )
    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=150)
    kind = models.CharField(_("loại"), max_length=20, choices=AdminUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("trực thuộc"),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("sáp nhập vào"),
    )
    valid_until = models.DateField(_("hết hiệu lực"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="adminunit_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """Who did what to which record, when, and which fields changed (old → new)."""

    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
        verbose_name=_("người thực hiện"),
    )
    action = models.CharField(_("thao tác"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("loại bản ghi"), max_length=100, db_index=True)
    object_id = models.CharField(_("mã bản ghi"), max_length=64, db_index=True)
    object_repr = models.CharField(_("bản ghi"), max_length=300)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"


class TrackedJobQuerySet(models.QuerySet):
    def for_target(self, obj):
        """The jobs run for one record, newest first."""
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk)).order_by(
            "-created_at", "-id"
        )

    def latest_by_target(self, objs) -> dict:
        """{pk: newest job} for many records of one model, in one query."""
        objs = list(objs)
        if not objs:
            return {}
        latest: dict = {}
        jobs = self.filter(
            target_type=objs[0]._meta.label_lower, target_id__in=[str(o.pk) for o in objs]
        ).order_by("-created_at", "-id")
        for job in jobs:
            latest.setdefault(job.target_id, job)
        return {o.pk: latest.get(str(o.pk)) for o in objs}

    def active(self):
        return self.filter(state__in=[JobState.QUEUED, JobState.RUNNING])

    def stale(self, now=None):
        """Running jobs whose worker stopped renewing the lease (killed, out of memory, host
        rebooted): the reaper (core.jobs.reap) takes them again or marks them failed."""
        return self.filter(state=JobState.RUNNING, lease_until__lt=now or timezone.now())

    def failed(self):
        return self.filter(state=JobState.FAILED)


class TrackedJob(models.Model):
    """One long operation run by the worker (a catalogue build, a file's text extraction, a
    matrix rebuild): its state, progress, timing and, for editors only, the error text.
    Pages poll its status through the `core/_job_status.html` partial (core.jobs)."""

    kind = models.CharField(_("loại công việc"), max_length=60, db_index=True)
    label = models.CharField(_("mô tả"), max_length=300, blank=True)
    target_type = models.CharField(_("loại bản ghi"), max_length=100, blank=True)
    target_id = models.CharField(_("mã bản ghi"), max_length=64, blank=True)
    state = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=JobState.choices,
        default=JobState.QUEUED,
        db_index=True,
    )
    done = models.PositiveIntegerField(_("đã xong"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), default=100)
    message = models.CharField(_("thông báo"), max_length=500, blank=True)
    error = models.TextField(_("chi tiết lỗi (chỉ biên tập viên xem)"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    # What the worker runs, so that a job whose worker died can be enqueued again (core.jobs).
    task_path = models.CharField(_("tác vụ"), max_length=200, blank=True)
    task_args = models.JSONField(_("tham số tác vụ"), default=list, blank=True)
    task_result_id = models.CharField(_("mã kết quả tác vụ"), max_length=64, blank=True)
    # The lease of the worker running the job, renewed while it works (core.jobs.run).
    worker = models.CharField(_("tiến trình nền"), max_length=100, blank=True)
    lease_until = models.DateTimeField(_("giữ việc đến"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    created_at = models.DateTimeField(_("ngày yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    objects = TrackedJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="job_target_idx")]

    def __str__(self) -> str:
        return f"{self.label or self.kind} – {self.get_state_display()}"

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else 0

    @property
    def is_active(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)

    @property
    def is_finished(self) -> bool:
        return not self.is_active

    @property
    def is_stale(self) -> bool:
        """Running, but its worker stopped renewing the lease."""
        return (
            self.state == JobState.RUNNING
            and self.lease_until is not None
            and self.lease_until < timezone.now()
        )

    @property
    def can_retry(self) -> bool:
        """An editor may queue it again: it failed (or its worker died) and it knows its task."""
        return bool(self.task_path) and (self.state == JobState.FAILED or self.is_stale)

    @property
    def duration(self):
        if self.started_at is None:
            return None
        return (self.finished_at or timezone.now()) - self.started_at
