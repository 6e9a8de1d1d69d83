"""Catalogue → PDF: an HTML template rendered by WeasyPrint (page numbers in the contents)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.template.loader import render_to_string

from sti.publishing.catalogue import Catalogue, Progress, no_progress

logger = logging.getLogger(__name__)


def render_html(catalogue: Catalogue) -> str:
    catalogue.number_entries()
    return render_to_string(
        "publishing/catalogue.html", {"catalogue": catalogue, "index": catalogue.index()}
    )


def build_pdf(catalogue: Catalogue, path: str | Path, progress: Progress = no_progress) -> Path:
    from weasyprint import HTML  # imported late: pango is a system library

    path = Path(path)
    html = render_html(catalogue)
    progress(0.2)
    # WeasyPrint logs every unsupported CSS property at WARNING; keep the worker's log clean.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = HTML(string=html).render()
    progress(0.8)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(path)
    progress(1.0)
    return path


def render_pdf(template_name: str, context: dict) -> bytes:
    """Any HTML template rendered to PDF bytes (a certificate, a one-page letter)."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=render_to_string(template_name, context)).write_pdf()
