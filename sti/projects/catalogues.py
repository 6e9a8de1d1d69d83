"""The yearly catalogues (DOMAIN.md §4, outputs 1 and 2), built from the registry's data.

- "Danh mục các đề tài, dự án đang tiến hành": tasks running during the year, with only the
  fields TT 14/2014 Art. 23 §2 allows to publish.
- "Kết quả các nhiệm vụ KH&CN": tasks accepted during the year, in the entry format of
  NASATI's *Thông báo kết quả*: code, title, PI – organization, (level), abstract, archive no.

Entries are grouped by field code; confidential tasks never appear.
"""

from __future__ import annotations

from pathlib import Path

from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sti.projects.access import disclosure
from sti.projects.choices import AcceptanceRating, CatalogueKind
from sti.projects.models import Task
from sti.publishing import Catalogue, Entry, Section, build_docx, build_pdf

OTHER_FIELD = ("999", gettext_lazy("Lĩnh vực khác"))


def primary_field(task: Task):
    """The most specific field of a task (a 5-digit code before a 3-digit one), lowest code."""
    fields = sorted(task.fields.all(), key=lambda f: (-len(f.code), f.code))
    return fields[0] if fields else None


def level_phrase(task: Task) -> str:
    """“(Đề tài cấp tỉnh/thành phố)” as printed under each entry."""
    form = task.get_form_display()
    if task.level_id:
        level = task.level.name
        return f"({form} {level[:1].lower()}{level[1:]})"
    return f"({form})"


def _date(value) -> str:
    return value.strftime("%m/%Y") if value else ""


def ongoing_tasks(year: int):
    return (
        Task.objects.public()
        .ongoing_in_year(year)
        .select_related("host", "principal", "level")
        .prefetch_related("fields")
        .order_by("title", "pk")
    )


def result_tasks(year: int):
    passed = Q(acceptances__rating__in=[AcceptanceRating.PASSED, AcceptanceRating.EXCELLENT])
    return (
        Task.objects.public()
        .completed()
        .annotate(accepted_on=Max("acceptances__date", filter=passed))
        .filter(accepted_on__year=year)
        .select_related("host", "principal", "level", "registration")
        .prefetch_related("fields")
        .order_by("code", "title", "pk")
    )


def ongoing_entry(task: Task) -> Entry:
    fields = ", ".join(f"{f.code} {f.name}" for f in task.fields.all())
    period = " – ".join(
        part for part in (_date(task.planned_start), _date(task.planned_end)) if part
    )
    return Entry(
        title=task.title,
        lines=[
            (_("Tổ chức chủ trì"), task.host.name),
            (_("Chủ nhiệm"), task.principal_display),
            (_("Lĩnh vực"), fields),
            (_("Thời gian thực hiện"), period),
            (_("Mục tiêu"), task.objectives),
            (_("Nội dung chính"), task.content),
            (_("Phương pháp"), task.methods),
            (_("Kết quả dự kiến"), task.expected_products),
        ],
        index_terms=[task.host.name],
    )


def result_entry(task: Task) -> Entry:
    registration = getattr(task, "registration", None)
    archive = registration.archive_number if registration else ""
    people = " – ".join(part for part in (task.principal_display, task.host.name) if part)
    return Entry(
        title=task.title,
        code=task.code,
        lines=[("", people), ("", level_phrase(task))],
        paragraphs=[(disclosure(None, task).results and task.abstract) or task.objectives],
        footer=_("Số hồ sơ lưu: %(n)s") % {"n": archive} if archive else "",
        index_terms=[task.host.name],
    )


def entry_count(year: int, kind: str) -> int:
    """How many tasks the catalogue of `year` would list (none: nothing to publish)."""
    tasks = ongoing_tasks(year) if kind == CatalogueKind.ONGOING else result_tasks(year)
    return tasks.count()


def collect(year: int, kind: str) -> Catalogue:
    """Group the year's tasks by field code into a Catalogue."""
    if kind == CatalogueKind.ONGOING:
        tasks, make = ongoing_tasks(year), ongoing_entry
    else:
        tasks, make = result_tasks(year), result_entry
    sections: dict[str, Section] = {}
    for task in tasks:
        field = primary_field(task)
        code, name = (field.code, field.name) if field else (OTHER_FIELD[0], str(OTHER_FIELD[1]))
        section = sections.setdefault(code, Section(code=code, name=name))
        section.entries.append(make(task))
    title = str(CatalogueKind(kind).label)
    return Catalogue(
        title=title,
        subtitle=_("Năm %(year)s") % {"year": year},
        publisher=_("Trung tâm Thông tin KH&CN TP. Cần Thơ – Sở Khoa học và Công nghệ TP. Cần Thơ"),
        sections=[sections[code] for code in sorted(sections)],
        toc_title=_("MỤC LỤC"),
        index_title=_("CHỈ MỤC TỔ CHỨC CHỦ TRÌ"),
        entry_word=_("mục"),
    )


def build_files(
    catalogue: Catalogue, folder: Path, stem: str, progress=lambda f: None
) -> tuple[Path, Path]:
    """Write `<stem>.docx` and `<stem>.pdf` into `folder`; progress goes 0 → 1."""
    docx_path = build_docx(catalogue, folder / f"{stem}.docx", progress=lambda f: progress(0.3 * f))
    pdf_path = build_pdf(
        catalogue, folder / f"{stem}.pdf", progress=lambda f: progress(0.3 + 0.7 * f)
    )
    return docx_path, pdf_path
