"""Catalogue → DOCX with python-docx (Times New Roman, Vietnamese-ready)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from sti.publishing.catalogue import Catalogue, Progress, no_progress

FONT = "Times New Roman"


def _set_font(style, size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = FONT
    # Word picks the East-Asian and complex-script slots for some Vietnamese letters; set all.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)


def _prepare(document) -> dict:
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.0)
    styles = document.styles
    _set_font(styles["Normal"], 12)
    styles["Normal"].paragraph_format.space_after = Pt(3)
    _set_font(styles["Title"], 18, True)
    _set_font(styles["Heading 1"], 14, True)
    _set_font(styles["Heading 2"], 12, True)
    return {name: styles[name] for name in ("Normal", "Title", "Heading 1", "Heading 2")}


def build_docx(catalogue: Catalogue, path: str | Path, progress: Progress = no_progress) -> Path:
    """Write the catalogue: title page, table of contents, entries by section, index."""
    path = Path(path)
    catalogue.number_entries()
    document = Document()
    styles = _prepare(document)
    total = max(catalogue.entry_count, 1)

    title = document.add_paragraph(catalogue.title.upper(), style=styles["Title"])
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (catalogue.subtitle, catalogue.publisher):
        if text:
            document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if catalogue.intro:
        document.add_paragraph(catalogue.intro).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    document.add_paragraph(catalogue.toc_title, style=styles["Heading 1"])
    for section in catalogue.sections:
        if not section.entries:
            continue
        first, last = section.entries[0].number, section.entries[-1].number
        line = document.add_paragraph()
        line.add_run(section.heading)
        line.add_run(
            f"\t{catalogue.entry_word} {first}–{last}"
            if first != last
            else f"\t{catalogue.entry_word} {first}"
        )
        line.paragraph_format.tab_stops.add_tab_stop(Cm(16.0))
    index_line = document.add_paragraph()
    index_line.add_run(catalogue.index_title).italic = True
    index_line.add_run().add_break(WD_BREAK.PAGE)

    done = 0
    for section in catalogue.sections:
        if not section.entries:
            continue
        document.add_paragraph(section.heading, style=styles["Heading 1"])
        for entry in section.entries:
            head = document.add_paragraph()
            head.paragraph_format.space_before = Pt(9)
            head.paragraph_format.keep_with_next = True
            head.add_run(f"{entry.number}. ").bold = True
            if entry.code:
                head.add_run(f"[{entry.code}] ").bold = True
            head.add_run(entry.title.upper() if entry.title else "").bold = True
            for label, value in entry.lines:
                if not value:
                    continue
                line = document.add_paragraph()
                if label:
                    line.add_run(f"{label}: ").italic = True
                line.add_run(value)
            for text in entry.paragraphs:
                if text:
                    document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if entry.footer:
                document.add_paragraph().add_run(entry.footer).bold = True
            done += 1
            if done % 50 == 0:
                progress(done / total)

    document.add_page_break()
    document.add_paragraph(catalogue.index_title, style=styles["Heading 1"])
    for term, numbers in catalogue.index():
        line = document.add_paragraph()
        line.add_run(term)
        line.add_run("\t" + ", ".join(str(n) for n in numbers))
        line.paragraph_format.tab_stops.add_tab_stop(Cm(16.0))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    progress(1.0)
    return path
