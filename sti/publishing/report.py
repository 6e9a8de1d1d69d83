"""Reports with tables and charts (statistical yearbooks, analytical reports) as DOCX and PDF.

An app describes *what* to publish as a `Report`: chapters of blocks, each a paragraph, a
table (a header row, body rows, an optional emphasized last row, notes) or a figure (a PNG
made by `sti.publishing.charts`). `build_report_docx` (python-docx) and `build_report_pdf`
(WeasyPrint, `publishing/report.html`) decide how it looks, as the catalogue builders do.
Tables and figures are numbered per report ("Bảng 3", "Hình 2") and listed in the contents.

Any block may carry footnotes (the source and period of a figure, an editor's explanation):
they are numbered through the report; the PDF sets them at the foot of the page (WeasyPrint's
`float: footnote`), the DOCX after the chapter they belong to, each with its number.
"""

from __future__ import annotations

import base64
import io
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from sti.publishing.catalogue import Progress, no_progress
from sti.publishing.docx_builder import _prepare

# The center publishing yearbooks and analytical reports (the cover's publisher line).
PUBLISHER = "Trung tâm Thông tin KH&CN TP. Cần Thơ – Sở Khoa học và Công nghệ TP. Cần Thơ"


@dataclass
class Paragraph:
    text: str
    footnotes: list[str] = field(default_factory=list)
    footnote_numbers: list[int] = field(default_factory=list)


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    unit: str = ""
    notes: list[str] = field(default_factory=list)
    total_last: bool = False  # the last row is a total (bold)
    number: int = 0
    footnotes: list[str] = field(default_factory=list)
    footnote_numbers: list[int] = field(default_factory=list)


@dataclass
class Figure:
    caption: str
    png: bytes
    width_cm: float = 15.0
    number: int = 0
    footnotes: list[str] = field(default_factory=list)
    footnote_numbers: list[int] = field(default_factory=list)

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


Block = Paragraph | Table | Figure


@dataclass
class Chapter:
    title: str
    blocks: list[Block] = field(default_factory=list)
    label: str = ""  # its own number ("1.3"), instead of the running one

    def heading(self, number: int) -> str:
        return f"{self.label or number}. {self.title}"

    @property
    def anchor(self) -> str:
        return f"ch-{id(self)}"


@dataclass
class Report:
    title: str
    subtitle: str = ""
    publisher: str = ""
    place_date: str = ""
    intro: list[str] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    issued: date = field(default_factory=date.today)
    toc_title: str = "MỤC LỤC"
    table_word: str = "Bảng"
    figure_word: str = "Hình"
    unit_word: str = "Đơn vị tính"

    def number_blocks(self) -> None:
        tables = figures = notes = 0
        for chapter in self.chapters:
            for block in chapter.blocks:
                if isinstance(block, Table):
                    tables += 1
                    block.number = tables
                elif isinstance(block, Figure):
                    figures += 1
                    block.number = figures
                block.footnote_numbers = list(range(notes + 1, notes + 1 + len(block.footnotes)))
                notes += len(block.footnotes)

    @property
    def block_count(self) -> int:
        return sum(len(c.blocks) for c in self.chapters)


# ---------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------
def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _docx_calls(paragraph, block) -> None:
    """The footnote numbers of `block`, superscript, at the end of `paragraph`."""
    if block.footnote_numbers:
        paragraph.add_run(",".join(str(n) for n in block.footnote_numbers)).font.superscript = True


def _docx_footnotes(document, blocks) -> None:
    """The footnotes of a chapter's blocks, after a short rule, each with its number."""
    notes = [
        (n, text) for b in blocks for n, text in zip(b.footnote_numbers, b.footnotes, strict=True)
    ]
    if not notes:
        return
    document.add_paragraph("_" * 20).paragraph_format.space_before = Pt(12)
    for number, text in notes:
        line = document.add_paragraph()
        line.add_run(str(number)).font.superscript = True
        line.add_run(" " + text).font.size = Pt(9)


def _docx_table(document, table: Table, report: Report) -> None:
    caption = document.add_paragraph()
    caption.paragraph_format.keep_with_next = True
    caption.add_run(f"{report.table_word} {table.number}. ").bold = True
    caption.add_run(table.caption).bold = True
    _docx_calls(caption, table)
    if table.unit:
        unit = document.add_paragraph()
        unit.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        unit.paragraph_format.keep_with_next = True
        unit.add_run(f"{report.unit_word}: {table.unit}").italic = True
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col, text in enumerate(table.header):
        cell = grid.rows[0].cells[col]
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(10)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(cell, "D9E2F3")
    last = len(table.rows) - 1
    for r, values in enumerate(table.rows, start=1):
        for col, text in enumerate(values):
            cell = grid.rows[r].cells[col]
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(text))
            run.font.size = Pt(10)
            run.bold = table.total_last and r - 1 == last
            if col:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for note in table.notes:
        document.add_paragraph().add_run(note).italic = True


def build_report_docx(report: Report, path: str | Path, progress: Progress = no_progress) -> Path:
    """Write the report: cover, contents (chapters, tables, figures), chapters."""
    path = Path(path)
    report.number_blocks()
    document = Document()
    styles = _prepare(document)
    title = document.add_paragraph(report.title.upper(), style=styles["Title"])
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (report.subtitle, report.publisher, report.place_date):
        if text:
            document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_page_break()
    document.add_paragraph(report.toc_title, style=styles["Heading 1"])
    for number, chapter in enumerate(report.chapters, start=1):
        document.add_paragraph(chapter.heading(number))
        for block in chapter.blocks:
            if isinstance(block, Table):
                document.add_paragraph(f"    {report.table_word} {block.number}. {block.caption}")
            elif isinstance(block, Figure):
                document.add_paragraph(f"    {report.figure_word} {block.number}. {block.caption}")
    for text in report.intro:
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    total = max(report.block_count, 1)
    done = 0
    for number, chapter in enumerate(report.chapters, start=1):
        document.add_page_break()
        document.add_paragraph(chapter.heading(number), style=styles["Heading 1"])
        for block in chapter.blocks:
            if isinstance(block, Paragraph):
                paragraph = document.add_paragraph(block.text)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                _docx_calls(paragraph, block)
            elif isinstance(block, Table):
                _docx_table(document, block, report)
            else:
                document.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
                document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                caption = document.add_paragraph()
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                caption.add_run(f"{report.figure_word} {block.number}. ").bold = True
                caption.add_run(block.caption).italic = True
                _docx_calls(caption, block)
            done += 1
            progress(done / total)
        _docx_footnotes(document, chapter.blocks)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    progress(1.0)
    return path


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------
def render_report_html(report: Report) -> str:
    report.number_blocks()
    return render_to_string("publishing/report.html", {"report": report})


def build_report_pdf(report: Report, path: str | Path, progress: Progress = no_progress) -> Path:
    from weasyprint import HTML  # imported late: pango is a system library

    path = Path(path)
    html = render_report_html(report)
    progress(0.2)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = HTML(string=html).render()
    progress(0.8)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(path)
    progress(1.0)
    return path
