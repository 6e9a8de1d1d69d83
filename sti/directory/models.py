"""The directory: S&T organizations (ToChuc, Form 01/CS) and researchers/experts (CanBo)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sti.core.access import MEMBER, PUBLIC, USER, AccessQuerySet, AccessRule, Grant
from sti.core.links import record_url
from sti.core.models import AdminUnit, ChoiceLabelsMixin, FieldOfScience
from sti.core.provinces import SCHEME_2025, units_in_province
from sti.core.reports import counts_by
from sti.core.text import fold_lower
from sti.directory.choices import (
    AcademicTitle,
    Degree,
    EconomicSector,
    FoundingAuthority,
    Gender,
    OrganizationKind,
    OrganizationStatus,
)


class OrganizationQuerySet(AccessQuerySet):
    # The directory of organizations is public.
    access_rule = AccessRule(grants=[Grant(PUBLIC)])

    def active(self):
        return self.filter(status=OrganizationStatus.ACTIVE)

    def in_province(self, code: str, scheme: str = SCHEME_2025):
        """Organizations whose administrative unit lies in province-level unit `code`, before
        the 2025 merger (`scheme="before"`) or after it."""
        return self.filter(admin_unit_id__in=units_in_province(code, scheme))

    # Named report methods (read by sti.analytics): `organizations` is None for every
    # organization, or a QuerySet of them (an area).
    def report_by_kind(self, organizations=None) -> dict[str, int]:
        """{kind: number} of active organizations."""
        queryset = self.active()
        if organizations is not None:
            queryset = queryset.filter(pk__in=organizations.values("pk"))
        return counts_by(queryset, "kind")


class Organization(ChoiceLabelsMixin, models.Model):
    """An S&T organization (tổ chức KH&CN) with the fields of Form 01/CS."""

    name = models.CharField(_("tên tổ chức"), max_length=300)
    abbreviation = models.CharField(_("tên viết tắt"), max_length=50, blank=True)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    identifier = models.CharField(
        _("mã định danh / mã số thuế"),
        max_length=30,
        blank=True,
        db_index=True,
        help_text=_("Mã định danh điện tử của tổ chức hoặc mã số thuế."),
    )
    kind = models.CharField(_("loại hình tổ chức"), max_length=30, choices=OrganizationKind.choices)
    sector = models.CharField(
        _("loại hình kinh tế"),
        max_length=20,
        choices=EconomicSector.choices,
        default=EconomicSector.STATE,
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    admin_unit = models.ForeignKey(
        AdminUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("đơn vị hành chính"),
    )
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang web"), blank=True)
    founding_decision_number = models.CharField(
        _("số quyết định thành lập"), max_length=50, blank=True
    )
    founding_decision_date = models.DateField(_("ngày quyết định thành lập"), null=True, blank=True)
    founding_authority = models.CharField(
        _("cấp ra quyết định thành lập"),
        max_length=5,
        choices=FoundingAuthority.choices,
        blank=True,
    )
    st_certificate_number = models.CharField(
        _("số GCN đăng ký hoạt động KH&CN"), max_length=50, blank=True
    )
    fields = models.ManyToManyField(
        FieldOfScience, blank=True, verbose_name=_("lĩnh vực hoạt động")
    )
    description = models.TextField(_("giới thiệu"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.ACTIVE,
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        verbose_name=_("sáp nhập vào"),
    )
    name_folded = models.CharField(
        _("tên không dấu"), max_length=300, editable=False, db_index=True
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức KH&CN")
        verbose_name_plural = _("tổ chức KH&CN")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"],
                condition=~Q(identifier=""),
                name="organization_identifier_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status=OrganizationStatus.MERGED) | Q(merged_into__isnull=False),
                name="organization_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_folded()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return record_url("directory:organization_detail", self.pk)

    def refresh_folded(self) -> None:
        """Recompute the accent-free search key (also called before `bulk_create`)."""
        self.name_folded = fold_lower(
            " ".join(part for part in (self.name, self.abbreviation) if part)
        )[:300]


class ResearcherQuerySet(AccessQuerySet):
    # Public profiles for everyone; editors see all; a person sees their own profile and the
    # members of an organization see the profiles of its staff.
    access_rule = AccessRule(
        grants=[
            Grant(PUBLIC, when=Q(is_public=True)),
            Grant(USER, field="user_id"),
            Grant(MEMBER, field="organization_id"),
        ]
    )

    def experts(self):
        return self.filter(is_expert=True)

    def report_by_degree_gender(self, organizations=None) -> dict[tuple[str, str], int]:
        """{(degree, gender): number} of the researchers of active organizations (of
        `organizations` when given); "" where the datum is missing."""
        queryset = self.filter(organization__status=OrganizationStatus.ACTIVE)
        if organizations is not None:
            queryset = queryset.filter(organization__in=organizations.values("pk"))
        return counts_by(queryset, "degree", "gender")


class Researcher(ChoiceLabelsMixin, models.Model):
    """A researcher (cán bộ KH&CN); `is_expert` marks those who may sit on councils."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=50, blank=True, default="Kinh")
    degree = models.CharField(_("học vị"), max_length=10, choices=Degree.choices, blank=True)
    academic_title = models.CharField(
        _("học hàm"), max_length=10, choices=AcademicTitle.choices, blank=True
    )
    position = models.CharField(_("chức danh, chức vụ"), max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="researchers",
        verbose_name=_("tổ chức công tác"),
    )
    fields = models.ManyToManyField(
        FieldOfScience, blank=True, verbose_name=_("lĩnh vực nghiên cứu")
    )
    expertise = models.TextField(
        _("từ khóa chuyên môn"), blank=True, help_text=_("Các từ khóa, cách nhau bằng dấu phẩy.")
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    orcid = models.CharField(_("ORCID"), max_length=19, blank=True)
    bio = models.TextField(_("tóm tắt lý lịch khoa học"), blank=True)
    is_public = models.BooleanField(_("công khai hồ sơ"), default=False)
    is_expert = models.BooleanField(_("là chuyên gia"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="researcher_profile",
        verbose_name=_("tài khoản"),
    )
    name_folded = models.CharField(
        _("họ tên không dấu"), max_length=150, editable=False, db_index=True
    )
    expertise_folded = models.TextField(
        _("từ khóa chuyên môn (không dấu)"), blank=True, editable=False
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    objects = ResearcherQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhà khoa học")
        verbose_name_plural = _("nhà khoa học")
        ordering = ["name_folded"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="researcher_birth_year_range",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.refresh_folded()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return record_url("directory:researcher_detail", self.pk)

    def refresh_folded(self) -> None:
        """Recompute the accent-free keys (also called before `bulk_create`).

        Sorting Vietnamese names by given name would need a collation; the folded full name
        is a stable, accent-insensitive order that both databases agree on.
        """
        self.name_folded = fold_lower(self.full_name)[:150]
        self.expertise_folded = fold_lower(self.expertise)

    @property
    def display_name(self) -> str:
        # Vietnamese writes postgraduate degrees before the name ("PGS.TS. Trần Văn Bảo");
        # a bachelor's or college degree is not a form of address.
        degree = self.degree if self.degree in (Degree.DOCTOR, Degree.MASTER) else ""
        prefix = ".".join(part for part in (self.academic_title, degree) if part)
        return f"{prefix}. {self.full_name}" if prefix else self.full_name

    @property
    def expertise_list(self) -> list[str]:
        return [item.strip() for item in self.expertise.split(",") if item.strip()]
