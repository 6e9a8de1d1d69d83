"""Shared publishing builders: catalogues and reports as DOCX (python-docx) and PDF (WeasyPrint).

Apps describe *what* to publish as a `Catalogue` (sections of numbered entries, an index of
organizations); `build_docx` and `build_pdf` decide how it looks. Vietnamese text is passed
NFC and set in Times New Roman (Word) or Liberation Serif / DejaVu Serif (PDF), which carry
every Vietnamese precomposed letter.
"""

from sti.publishing.catalogue import Catalogue, Entry, Section
from sti.publishing.docx_builder import build_docx
from sti.publishing.pdf_builder import build_pdf, render_pdf

__all__ = ["Catalogue", "Entry", "Section", "build_docx", "build_pdf", "render_pdf"]
