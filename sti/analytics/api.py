"""The indicators for other systems: their definitions, and each one's yearly series with its
breakdown. Editors' tokens only: the figures count records that are not public (drafts,
confidential tasks, the current statistics build), as the dashboard does; the public
statistics API (`/api/stats/`) serves the published aggregates."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sti.accounts.api_auth import token_auth
from sti.analytics.catalogue import GROUPS
from sti.analytics.dashboard import PeriodForm
from sti.analytics.indicators import Figure, all_indicators, get_indicator, series
from sti.core.api import ApiError, QueryParams

router = Router(tags=["analytics"], auth=token_auth)


class AnalyticsIndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    unit: str
    source: str
    group: str
    group_label: str


class PeriodParams(QueryParams):
    from_: int | None = Field(None, alias="from", description="Năm đầu (mặc định: 4 năm trước).")
    to: int | None = Field(None, description="Năm cuối (mặc định: năm nay).")
    admin_unit: str = Field("", description="Mã đơn vị hành chính cấp tỉnh; trống: toàn địa bàn.")
    scheme: str = Field("2025", description="Địa giới: 2025 (sau sáp nhập) hoặc before.")


class AnalyticsPartOut(Schema):
    key: str
    label: str
    value: float


class AnalyticsPointOut(Schema):
    year: int
    value: float | None
    note: str
    url: str
    url_note: str
    breakdown: list[AnalyticsPartOut]


class AnalyticsSeriesOut(AnalyticsIndicatorOut):
    admin_unit: str
    scheme: str
    series: list[AnalyticsPointOut]


def _editor(request):
    if not request.auth.is_editor:
        raise PermissionDenied(_("Chỉ biên tập viên và lãnh đạo được xem số liệu phân tích."))
    return request.auth


def _definition(indicator) -> dict:
    return {
        "code": indicator.code,
        "name": str(indicator.name),
        "name_en": indicator.name_en,
        "unit": str(indicator.unit),
        "source": str(indicator.source),
        "group": indicator.group,
        "group_label": str(GROUPS.get(indicator.group, indicator.group)),
    }


def _point(year: int, figure: Figure) -> dict:
    return {
        "year": year,
        "value": figure.value,
        "note": figure.note,
        "url": figure.url,
        "url_note": figure.url_note,
        "breakdown": [{"key": k, "label": label, "value": v} for k, label, v in figure.breakdown],
    }


@router.get(
    "/indicators", response=list[AnalyticsIndicatorOut], summary="Các chỉ tiêu và định nghĩa"
)
def list_indicators(request):
    _editor(request)
    return [_definition(indicator) for indicator in all_indicators()]


@router.get(
    "/indicators/{code}",
    response=AnalyticsSeriesOut,
    summary="Chuỗi số liệu theo năm của một chỉ tiêu",
)
def indicator_series(request, code: str, params: Query[PeriodParams]):
    _editor(request)
    try:
        indicator = get_indicator(code)
    except KeyError as missing:
        raise ApiError(404, _("Không có chỉ tiêu “%(code)s”.") % {"code": code}) from missing
    data = {"from": params.from_, "to": params.to, "admin_unit": params.admin_unit}
    form = PeriodForm({**{k: v for k, v in data.items() if v is not None}, "scheme": params.scheme})
    if not form.is_valid():
        errors = [
            {"loc": ["query", name], "msg": message}
            for name, messages in form.errors.items()
            for message in messages
        ]
        detail = "; ".join(f"{e['loc'][1]}: {e['msg']}" for e in errors)
        raise ApiError(422, detail, errors=errors)
    clean = form.cleaned_data
    points = series(code, form.years, clean["admin_unit"], clean["scheme"])
    return {
        **_definition(indicator),
        "admin_unit": clean["admin_unit"],
        "scheme": clean["scheme"],
        "series": [_point(year, figure) for year, figure in points],
    }
