"""Shared publishing builders: catalogues, and reports with tables and charts (report.py,
charts.py), as DOCX (python-docx) and PDF (WeasyPrint).

Apps describe *what* to publish as a `Catalogue` (sections of numbered entries, an index of
organizations); `build_docx` and `build_pdf` decide how it looks. Vietnamese text is passed
NFC and set in Times New Roman (Word) or Liberation Serif / DejaVu Serif (PDF), which carry
every Vietnamese precomposed letter.
"""

from sti.publishing.catalogue import Catalogue, Entry, Section
from sti.publishing.docx_builder import build_docx
from sti.publishing.pdf_builder import build_pdf, render_pdf
from sti.publishing.report import (
    Chapter,
    Figure,
    Paragraph,
    Report,
    Table,
    build_report_docx,
    build_report_pdf,
)

__all__ = [
    "Catalogue",
    "Chapter",
    "Entry",
    "Figure",
    "Paragraph",
    "Report",
    "Section",
    "Table",
    "build_docx",
    "build_pdf",
    "build_report_docx",
    "build_report_pdf",
    "render_pdf",
]
