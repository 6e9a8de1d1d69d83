"""The statistical yearbook ("ấn phẩm thống kê KH&CN") of a year: its content as a shared
`sti.publishing.Report` (tables and matplotlib charts), written as DOCX and PDF by the shared
builders. Built by the worker as a tracked job (`yearbook_jobs.py`); requested by an editor
(`yearbook_services.py`).

Only PUBLISHED aggregates are read (`sti.stats.publication`, `aggregation.aggregate(...,
published=True)`): the yearbook is a public document. Its chapters:

1. the national indicators 1401–1407 of the year, with the previous year and the change;
2. series and forecasts: each headline series up to the year, a chart with the forecast and
   its prediction interval, the method and its fit;
3. the aggregate of each form laid out as the form (rows × columns), over every organization;
4. key figures by organization type, S&T field and province-level unit (before and after
   the 2025 merger).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from sti.publishing import (
    Chapter,
    Figure,
    Paragraph,
    Report,
    Table,
    build_report_docx,
    build_report_pdf,
    charts,
)
from sti.publishing.numbers import number
from sti.publishing.report import PUBLISHER
from sti.stats import aggregation, indicators, layout, publication
from sti.stats.choices import AggregateKind, ValueKind
from sti.stats.models import TOTAL, Period

GROUPINGS = ("org_type", "field", "admin_unit", "admin_unit_2025")


# ---------------------------------------------------------------------------
# Number formats (Vietnamese: 7.455; 12,5)
# ---------------------------------------------------------------------------
def percent(value) -> str:
    if value is None:
        return "–"
    sign = "+" if value > 0 else ""
    return f"{sign}{number(value, 1)}%"


def change(current, previous) -> str:
    if current is None or previous in (None, 0):
        return "–"
    return percent((float(current) - float(previous)) / float(previous) * 100)


# ---------------------------------------------------------------------------
# Chapters
# ---------------------------------------------------------------------------
def _national(period: Period, previous: Period | None) -> Chapter:
    now = aggregation.national_indicators(period, published=True)
    before = (
        {r.indicator.code: r for r in aggregation.national_indicators(previous, published=True)}
        if (previous)
        else {}
    )
    rows, notes = [], []
    for result in now:
        item = result.indicator
        last = before.get(item.code)
        rows.append(
            [
                f"{item.code} {item.label}",
                item.unit,
                number(result.total),
                number(last.total) if last else "–",
                change(result.total, last.total if last else None),
            ]
        )
        notes.append(f"{item.code}: {item.computation_text}")
    chapter = Chapter(_("Chỉ tiêu thống kê quốc gia về KH&CN (1401–1407)"))
    chapter.blocks.append(
        Paragraph(
            _(
                "Các chỉ tiêu thuộc nhóm 14 “Khoa học và công nghệ” của Hệ thống chỉ tiêu thống "
                "kê quốc gia (Luật Thống kê 2015), tính từ các báo cáo thống kê đã được chấp "
                "nhận và công bố của kỳ %(year)s."
            )
            % {"year": period.year}
        )
    )
    chapter.blocks.append(
        Table(
            caption=_("Chỉ tiêu thống kê quốc gia nhóm 14, năm %(year)s") % {"year": period.year},
            header=[
                _("Chỉ tiêu"),
                _("Đơn vị tính"),
                str(period.year),
                str(previous.year) if previous else _("Năm trước"),
                _("Thay đổi"),
            ],
            rows=rows,
            notes=notes,
        )
    )
    return chapter


def _series(period: Period) -> Chapter:
    chapter = Chapter(_("Diễn biến qua các năm và dự báo"))
    chapter.blocks.append(
        Paragraph(
            _(
                "Mỗi chuỗi gồm số liệu đã công bố đến năm %(year)s, mức thay đổi so với năm "
                "trước và dự báo cho các năm tiếp theo bằng phương pháp san bằng mũ (mô hình "
                "ETS của thư viện statsmodels), với khoảng dự báo 95%%. Chuỗi ngắn hơn ba năm "
                "liên tiếp không được dự báo."
            )
            % {"year": period.year}
        )
    )
    for series in publication.headline_series(until=period.year):
        if not series.points:
            continue
        fc = series.forecast
        rows = [
            [
                str(p.year),
                number(p.value),
                change(p.value, p.value - p.change) if p.change is not None else "–",
                "",
            ]
            for p in series.points
        ]
        notes = []
        if fc and fc.ok:
            rows += [
                [f"{y} ({_('dự báo')})", number(m), "", f"{number(lo)} – {number(up)}"]
                for y, m, lo, up in zip(fc.years, fc.mean, fc.lower, fc.upper, strict=True)
            ]
            fit = _("Phương pháp: %(method)s; RMSE %(rmse)s") % {
                "method": fc.method,
                "rmse": number(fc.rmse, 1),
            }
            if fc.aic is not None:
                fit += f"; AIC {number(fc.aic, 1)}"
            notes.append(fit)
        elif fc:
            notes.append(fc.reason)
        chapter.blocks.append(
            Table(
                caption=series.label,
                header=[_("Năm"), _("Giá trị"), _("So với năm trước"), _("Khoảng dự báo 95%")],
                rows=rows,
                unit=series.unit,
                notes=notes,
            )
        )
        chapter.blocks.append(
            Figure(
                caption=series.label,
                png=charts.line_chart(
                    series.years,
                    series.values,
                    unit=series.unit,
                    forecast_years=fc.years if fc and fc.ok else (),
                    forecast=fc.mean if fc and fc.ok else (),
                    lower=fc.lower if fc and fc.ok else (),
                    upper=fc.upper if fc and fc.ok else (),
                    labels=(_("Số liệu"), _("Dự báo"), _("Khoảng dự báo 95%")),
                ),
            )
        )
    return chapter


def _forms(period: Period) -> Chapter:
    """Each form's aggregate over every organization, laid out as the form."""
    table = aggregation.as_table(aggregation.aggregate(period, published=True))
    chapter = Chapter(_("Số liệu tổng hợp theo biểu báo cáo"))
    for form in period.regime.forms.all():
        grid = layout.build(form)
        for section in grid.sections:
            columns = [c for c in section.columns]
            rows = []
            for row in section.rows:
                if row.indicator.kind == ValueKind.TEXT:
                    continue
                cells = []
                for column, cell in zip(columns, row.cells, strict=True):
                    found = table.get((row.indicator.code, column.option_key, "", ""))
                    cells.append(number(found.value) if cell and found else "")
                if any(cells):
                    indent = "   " * row.indicator.indent
                    rows.append([f"{indent}{row.indicator.code} {row.indicator.label}", *cells])
            if not rows:
                continue
            chapter.blocks.append(
                Table(
                    caption=f"{form.code} – {section.section.label}",
                    header=[_("Chỉ tiêu"), *[c.label or _("Tổng số") for c in columns]],
                    rows=rows,
                    unit=form.unit,
                )
            )
    return chapter


def _groups(period: Period) -> Chapter:
    """Headline indicators by group of organizations, with a chart of the first."""
    chapter = Chapter(_("Phân theo loại hình, lĩnh vực và địa bàn"))
    chapter.blocks.append(
        Paragraph(
            _(
                "Nhóm có dưới %(n)s tổ chức không được công bố riêng để không lộ số liệu của "
                "từng tổ chức; dòng “Tổng số” vẫn tính mọi tổ chức."
            )
            % {"n": aggregation.min_public_group()}
        )
    )
    rows = aggregation.aggregate(
        period, published=True, kind=AggregateKind.NATIONAL, all_groupings=True
    )
    shown = [i for i in indicators.definitions() if i.computed and i.value][:3]
    for by in GROUPINGS:
        labels = aggregation.group_labels(by)
        values: dict[str, dict[str, Decimal]] = {}
        for r in rows:
            if r.by == by and r.option == TOTAL:
                values.setdefault(r.group, {})[r.indicator] = r.value
        if not values:
            continue
        order = sorted(values, key=lambda g: -float(values[g].get(shown[0].code, 0) or 0))
        body = [[labels.get(g, g), *[number(values[g].get(i.code)) for i in shown]] for g in order]
        # The total over every organization, not the sum of the rows shown: a group of too
        # few organizations is not published on its own (disclosure control) but is counted.
        overall = {
            r.indicator: r.value for r in rows if r.by == aggregation.ALL and r.option == TOTAL
        }
        body.append([_("Tổng số"), *[number(overall.get(i.code)) for i in shown]])
        title = str(aggregation.BREAKDOWNS[by])
        chapter.blocks.append(
            Table(
                caption=_("Một số chỉ tiêu theo %(by)s, năm %(year)s")
                % {"by": title.lower(), "year": period.year},
                header=[title, *[f"{i.code} {i.label}" for i in shown]],
                rows=body,
                total_last=True,
            )
        )
        if by == "org_type" and shown:
            chapter.blocks.append(
                Figure(
                    caption=f"{shown[0].label} – {title.lower()}, {period.year}",
                    png=charts.bar_chart(
                        [labels.get(g, g) for g in order],
                        [float(values[g].get(shown[0].code) or 0) for g in order],
                        unit=shown[0].unit,
                    ),
                    width_cm=14,
                )
            )
    return chapter


def collect(period: Period, progress=lambda f: None) -> Report:
    """The yearbook of `period` (published aggregates only)."""
    previous = (publication.published_periods_until(period.year - 1)[-1:] or [None])[0]
    built = aggregation.aggregate_set(period)
    chapters = []
    for step, make in enumerate(
        (
            lambda: _national(period, previous),
            lambda: _series(period),
            lambda: _groups(period),
            lambda: _forms(period),
        ),
        start=1,
    ):
        chapters.append(make())
        progress(step / 4)
    intro = [
        _(
            "Ấn phẩm tổng hợp số liệu thống kê khoa học và công nghệ của thành phố năm "
            "%(year)s, từ báo cáo của %(n)s tổ chức theo %(regime)s. Số liệu là tổng qua các "
            "tổ chức; không công bố số liệu riêng của tổ chức nào."
        )
        % {
            "year": period.year,
            "n": built.organizations if built else 0,
            "regime": period.regime.legal_basis,
        }
    ]
    return Report(
        title=_("Số liệu thống kê khoa học và công nghệ"),
        subtitle=_("Năm %(year)s") % {"year": period.year},
        publisher=PUBLISHER,
        place_date=_("Cần Thơ, %(year)s") % {"year": period.year + 1},
        intro=intro,
        chapters=chapters,
        toc_title=_("MỤC LỤC"),
        table_word=_("Bảng"),
        figure_word=_("Hình"),
        unit_word=_("Đơn vị tính"),
    )


def build_files(period: Period, folder: Path, stem: str, progress=lambda f: None):
    """Write `<stem>.docx` and `<stem>.pdf`; progress goes 0 → 1. Returns (docx, pdf, report)."""
    report = collect(period, lambda f: progress(0.4 * f))
    docx_path = build_report_docx(
        report, folder / f"{stem}.docx", lambda f: progress(0.4 + 0.2 * f)
    )
    pdf_path = build_report_pdf(report, folder / f"{stem}.pdf", lambda f: progress(0.6 + 0.4 * f))
    return docx_path, pdf_path, report
