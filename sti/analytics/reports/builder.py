"""A draft → the shared publishing `Report` (chapters of narrative, figures, tables, charts,
footnotes), then DOCX and PDF through `sti.publishing`. Every figure, table and chart carries
a footnote naming its source and period; each explained disagreement becomes a footnote too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from sti.analytics.reports import compute, definitions, services
from sti.analytics.reports.models import ReportDraft
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


@dataclass
class Computed:
    """What the page and the build show: the sections with their computed blocks, the
    consistency checks, the current narrative of each section."""

    template: definitions.TemplateDef
    params: compute.Params
    sections: list[compute.Section]
    disagreements: list[compute.Disagreement]
    texts: dict


def params_of(draft: ReportDraft) -> compute.Params:
    return compute.Params(draft.start_year, draft.end_year, draft.admin_unit, draft.scheme)


def compute_draft(draft: ReportDraft, *, sections: bool = True) -> Computed:
    template = definitions.get_template(draft.template_key)
    if template is None:
        raise definitions.TemplateError(f"unknown template {draft.template_key!r}")
    params = params_of(draft)
    figures = compute.Figures()
    return Computed(
        template,
        params,
        compute.compute_sections(template, params, figures) if sections else [],
        compute.run_checks(template, params, figures),
        services.current_texts(draft),
    )


def _explanation_note(disagreements: list[compute.Disagreement], text: str) -> str:
    """One footnote per explained check: both sides with their sources, the values of each
    period where they differ, and the editor's explanation."""
    first = disagreements[0]
    values = "; ".join(f"{d.period}: {d.left_text} / {d.right_text}" for d in disagreements)
    return _(
        "Số liệu chênh lệch (%(label)s): %(left)s (nguồn: %(sa)s) / %(right)s (nguồn: %(sb)s) "
        "– %(values)s. Giải thích: %(text)s"
    ) % {
        "label": first.check.label,
        "left": first.left[0],
        "sa": first.left[2],
        "right": first.right[0],
        "sb": first.right[2],
        "values": values,
        "text": text,
    }


def _chart(block: compute.Block) -> bytes | None:
    if block.definition.chart == "line":
        row = block.rows[0]
        if any(v is None for v in row.values):
            return None
        return charts.line_chart([int(y) for y in block.columns], row.values, unit=block.unit)
    rows = [r for r in block.rows if not r.total]
    if any(r.values[-1] is None for r in rows) or not rows:
        return None
    return charts.bar_chart([r.label for r in rows], [r.values[-1] for r in rows], unit=block.unit)


def _publishing_block(block: compute.Block):
    if block.kind == "figure":
        return Paragraph(block.sentence(), footnotes=list(block.footnotes))
    if block.kind == "table":
        return Table(
            caption=block.caption,
            header=[_("Chỉ tiêu"), *block.columns],
            rows=[[row.label, *(number(v) for v in row.values)] for row in block.rows],
            unit=block.unit,
            total_last=block.rows[-1].total,
            footnotes=list(block.footnotes),
        )
    png = _chart(block)
    if png is None:
        return Paragraph(
            _("%(caption)s: không vẽ được biểu đồ (thiếu số liệu).") % {"caption": block.caption},
            footnotes=list(block.footnotes),
        )
    caption = block.caption
    if block.definition.period != "each_year":
        caption = f"{caption} ({block.columns[-1]})"
    return Figure(caption, png, footnotes=list(block.footnotes))


def _paragraphs(text: str) -> list[str]:
    """Each line the editor typed is a paragraph (a list item, a new point), as in the box."""
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


def collect(draft: ReportDraft, computed: Computed | None = None) -> Report:
    computed = computed or compute_draft(draft)
    explanations = dict(draft.check_notes.values_list("check_key", "explanation"))
    chapters, placed = [], set()
    differing: dict[str, list[compute.Disagreement]] = {}
    for d in computed.disagreements:
        if d.differs and d.check.key in explanations:
            differing.setdefault(d.check.key, []).append(d)
    pending = [
        (found[0], _explanation_note(found, explanations[key])) for key, found in differing.items()
    ]
    for section in computed.sections:
        chapter = Chapter(section.definition.title, label=section.definition.key)
        version = computed.texts.get(section.definition.key)
        chapter.blocks += [Paragraph(p) for p in _paragraphs(version.text if version else "")]
        for block in section.blocks:
            out = _publishing_block(block)
            for index, (disagreement, note) in enumerate(pending):
                if index not in placed and set(disagreement.check.indicators) & set(block.codes):
                    out.footnotes.append(note)
                    placed.add(index)
            chapter.blocks.append(out)
        chapters.append(chapter)
    left = [note for index, (_d, note) in enumerate(pending) if index not in placed]
    if left:
        chapters.append(Chapter(_("Ghi chú về số liệu"), [Paragraph(note) for note in left]))
    area = f" – {draft.area_label}" if draft.admin_unit else ""
    return Report(
        title=draft.title,
        subtitle=_("Kỳ báo cáo: %(period)s%(area)s") % {"period": draft.period_label, "area": area},
        publisher=PUBLISHER,
        place_date=_("Cần Thơ, ngày %(date)s")
        % {"date": timezone.localdate().strftime("%d/%m/%Y")},
        chapters=chapters,
    )


def build_files(draft: ReportDraft, folder: Path, stem: str, progress=lambda f: None):
    """Write `<stem>.docx` and `<stem>.pdf`; progress 0 → 1. Returns (docx, pdf, report)."""
    report = collect(draft)
    progress(0.3)
    docx_path = build_report_docx(
        report, folder / f"{stem}.docx", lambda f: progress(0.3 + 0.2 * f)
    )
    pdf_path = build_report_pdf(report, folder / f"{stem}.pdf", lambda f: progress(0.5 + 0.5 * f))
    return docx_path, pdf_path, report
