"""A periodical issue as a publishing `Catalogue`, and how linked records are summed up.

The shared builders (`sti.publishing`) turn a Catalogue (sections of numbered entries and an
index of organizations) into DOCX and PDF; an issue gives one section per kind of item
("Tài liệu", "Nhiệm vụ KH&CN"…) in the order the editor picked them.

The `describe_*` functions say what a bulletin prints for a record of another app; they are
registered with each linkable model in `NewsConfig.ready()`. An app that adds a linkable
model later (offers, courses) registers its own `describe`, and its records can be picked
for a bulletin with no change here.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sti.core.registries import LinkSummary
from sti.core.text import clip
from sti.news.models import Issue
from sti.publishing import Catalogue, Entry, Section, build_docx, build_pdf

ABSTRACT_CHARS = 900
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _clip(text: str, limit: int = ABSTRACT_CHARS) -> str:
    return clip(text, limit)


def describe_document(document) -> LinkSummary:
    """A library document: authors, source and year, the abstract."""
    authors = ", ".join(document.creator_names()[:4])
    source = ", ".join(
        str(part) for part in (document.publisher, document.source, document.year) if part
    )
    return LinkSummary(
        title=document.title,
        text=_clip(document.abstract),
        lines=((_("Tác giả"), authors), (_("Nguồn"), source)),
        terms=tuple(org.name for org in document.organizations.all()),
    )


def describe_task(task) -> LinkSummary:
    """An S&T task: host, principal investigator, and only the text the public may read
    (its results once completed, else its objectives: the catalogues' rule)."""
    from sti.projects.access import disclosure

    text = (disclosure(None, task).results and task.abstract) or task.objectives
    return LinkSummary(
        title=task.title,
        text=_clip(text),
        lines=(
            (_("Mã số"), task.code),
            (_("Tổ chức chủ trì"), task.host.name),
            (_("Chủ nhiệm"), task.principal_display),
        ),
        terms=(task.host.name,),
    )


def collect(issue: Issue) -> Catalogue:
    """The issue's items, grouped by section in the order they come."""
    sections: dict[str, Section] = {}
    for item in issue.items.all():
        name = item.section or _("Tin bài")
        if name not in sections:
            sections[name] = Section(code=ROMAN[len(sections) % len(ROMAN)], name=name)
        section = sections[name]
        section.entries.append(
            Entry(
                title=item.title,
                paragraphs=[line for line in item.text.split("\n") if line.strip()],
                index_terms=[term.strip() for term in item.terms.split(";") if term.strip()],
            )
        )
    subtitle = _("Số %(n)s/%(y)s – ngày %(d)s") % {
        "n": issue.number,
        "y": issue.year,
        "d": date_format(issue.issued, "d/m/Y"),
    }
    if issue.title:
        subtitle = f"{subtitle} · {issue.title}"
    return Catalogue(
        title=issue.series.name,
        subtitle=subtitle,
        publisher=_(
            "Trung tâm Thông tin và Thống kê KH&CN TP. Cần Thơ – Sở Khoa học và Công nghệ TP. Cần Thơ"
        ),
        intro=issue.summary,
        sections=list(sections.values()),
        issued=issue.issued,
        toc_title=_("MỤC LỤC"),
        index_title=_("CHỈ MỤC TỔ CHỨC"),
        entry_word=_("bài"),
    )


def build_files(catalogue: Catalogue, folder: Path, stem: str, progress=lambda f: None):
    """Write `<stem>.docx` and `<stem>.pdf` into `folder`; progress goes 0 → 1."""
    docx_path = build_docx(catalogue, folder / f"{stem}.docx", progress=lambda f: progress(0.3 * f))
    pdf_path = build_pdf(
        catalogue, folder / f"{stem}.pdf", progress=lambda f: progress(0.3 + 0.7 * f)
    )
    return docx_path, pdf_path
