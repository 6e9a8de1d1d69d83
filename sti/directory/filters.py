"""Filters of the directory, shared by the list pages and the API (one definition per list).

Free-text filters compare folded text (accents removed, đ→d, lower case) against the
`*_folded` columns, so "can tho" finds "Cần Thơ" and "duong" finds "Đường".
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFilterSetMixin, province_filter
from sti.core.models import AdminUnit, current_field_choices
from sti.core.text import fold_lower
from sti.core.validators import as_pk
from sti.directory.choices import (
    AcademicTitle,
    Degree,
    EconomicSector,
    Gender,
    OrganizationKind,
    OrganizationStatus,
)
from sti.directory.models import Organization, Researcher

# The sidebar offers a list of organization names only while the directory is small enough
# for a <datalist>; past that, people type part of the name.
ORGANIZATION_DATALIST_LIMIT = 300


def field_choices() -> list[tuple[str, str]]:
    """Current S&T fields, levels 1–3, as (code, "code name") for the `field` filter."""
    return current_field_choices(max_level=3)


def folded_terms(value: str) -> list[str]:
    """The folded words of a query: every one must appear (AND), in any order."""
    return fold_lower(value).split()


def filter_by_field_code(queryset, code: str):
    """Records filed under the field `code` or any field below it (same code prefix)."""
    code = (code or "").strip()
    if not code:
        return queryset
    through = queryset.model.fields.through
    owner = "organization_id" if queryset.model is Organization else "researcher_id"
    # A subquery instead of a join keeps one row per record, so no DISTINCT is needed.
    matching = through.objects.filter(
        fieldofscience__code__startswith=code, fieldofscience__version__is_current=True
    ).values(owner)
    return queryset.filter(pk__in=matching)


class BooleanChoiceWidget(forms.Select):
    """ "Tất cả / Có / Không", sending true/false (what the API and links use)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs, choices=[("", _("Tất cả")), ("true", _("Có")), ("false", _("Không"))]
        )


class StyledFilterSet(StyledFilterSetMixin, django_filters.FilterSet):
    """A FilterSet whose form carries Bootstrap classes (the page sidebar renders it)."""


class OrganizationFilter(StyledFilterSet):
    """Filters of the organization list (page `directory:organization_list` and the API)."""

    q = django_filters.CharFilter(label=_("Tên hoặc tên viết tắt"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("Loại hình tổ chức"), choices=OrganizationKind.choices, empty_label=_("Tất cả")
    )
    sector = django_filters.ChoiceFilter(
        label=_("Loại hình kinh tế"), choices=EconomicSector.choices, empty_label=_("Tất cả")
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=OrganizationStatus.choices, empty_label=_("Tất cả")
    )
    field = django_filters.ChoiceFilter(
        label=_("Lĩnh vực KH&CN"),
        choices=field_choices,
        method="filter_field",
        empty_label=_("Tất cả"),
    )
    admin_unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị hành chính"),
        queryset=AdminUnit.objects.select_related("version").order_by(
            "-version__is_current", "code"
        ),
        method="filter_admin_unit",
        empty_label=_("Tất cả"),
    )

    province = province_filter("admin_unit_id")

    class Meta:
        model = Organization
        fields = ["q", "kind", "sector", "status", "field", "admin_unit", "province"]

    def filter_q(self, queryset, name, value):
        for term in folded_terms(value):
            queryset = queryset.filter(Q(name_folded__contains=term) | Q(identifier=term))
        return queryset

    def filter_field(self, queryset, name, value):
        return filter_by_field_code(queryset, value)

    def filter_admin_unit(self, queryset, name, value):
        # A city includes its districts, a province its districts and their communes.
        return queryset.filter(
            Q(admin_unit=value) | Q(admin_unit__parent=value) | Q(admin_unit__parent__parent=value)
        )


class ResearcherFilter(StyledFilterSet):
    """Filters of the researcher list (page `directory:researcher_list` and the API)."""

    q = django_filters.CharFilter(label=_("Họ tên hoặc chuyên môn"), method="filter_q")
    organization = django_filters.CharFilter(
        label=_("Tổ chức"),
        method="filter_organization",
        help_text=_("Mã số, mã định danh, tên viết tắt hoặc một phần tên tổ chức."),
        widget=forms.TextInput(attrs={"list": "organization-names"}),
    )
    field = django_filters.ChoiceFilter(
        label=_("Lĩnh vực KH&CN"),
        choices=field_choices,
        method="filter_field",
        empty_label=_("Tất cả"),
    )
    degree = django_filters.ChoiceFilter(
        label=_("Học vị"), choices=Degree.choices, empty_label=_("Tất cả")
    )
    academic_title = django_filters.ChoiceFilter(
        label=_("Học hàm"), choices=AcademicTitle.choices, empty_label=_("Tất cả")
    )
    is_expert = django_filters.BooleanFilter(label=_("Chuyên gia"), widget=BooleanChoiceWidget)
    gender = django_filters.ChoiceFilter(
        label=_("Giới tính"), choices=Gender.choices, empty_label=_("Tất cả")
    )

    province = province_filter("organization__admin_unit_id")

    class Meta:
        model = Researcher
        fields = [
            "q",
            "organization",
            "field",
            "degree",
            "academic_title",
            "is_expert",
            "gender",
            "province",
        ]

    def filter_q(self, queryset, name, value):
        for term in folded_terms(value):
            queryset = queryset.filter(
                Q(name_folded__contains=term) | Q(expertise_folded__contains=term)
            )
        return queryset

    def filter_organization(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            # A primary key (links from an organization page) or a numeric identifier (MST).
            by_pk = Q(organization_id=as_pk(value)) if as_pk(value) else Q(pk__in=[])
            return queryset.filter(by_pk | Q(organization__identifier=value))
        organizations = Organization.objects.all()
        for term in folded_terms(value):
            organizations = organizations.filter(name_folded__contains=term)
        return queryset.filter(
            Q(organization__in=organizations.values("pk")) | Q(organization__identifier=value)
        )

    def filter_field(self, queryset, name, value):
        return filter_by_field_code(queryset, value)
