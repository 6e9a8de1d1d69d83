"""Editors' verbs on analytical reports: create a draft, save or restore a section's
narrative (each save a new version), explain figures that disagree, request a build. Each
checks access itself, runs in one transaction and writes the audit row."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from sti.analytics.indicators import SCHEMES
from sti.analytics.reports import definitions, tasks
from sti.analytics.reports.access import can_manage_reports
from sti.analytics.reports.models import CheckNote, ReportBuild, ReportDraft, SectionVersion
from sti.core import audit
from sti.core import jobs as core_jobs
from sti.core.choices import AuditAction, JobState
from sti.core.provinces import province_choices

BUILD = "analytics.report"
TEXT_MAX = 50_000
MIN_YEAR, MAX_YEAR = 1975, 2100


def _require(actor) -> None:
    if not can_manage_reports(actor):
        raise PermissionDenied(_("Chỉ biên tập viên được soạn báo cáo phân tích."))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n")).strip()


def create_draft(
    actor,
    template_key: str,
    start_year: int,
    end_year: int,
    *,
    admin_unit: str = "",
    scheme: str = "2025",
    title: str = "",
) -> ReportDraft:
    _require(actor)
    template = definitions.get_template(template_key)
    if template is None:
        raise ValidationError({"template_key": _("Không có mẫu báo cáo này.")})
    if not (MIN_YEAR <= start_year <= end_year <= MAX_YEAR):
        raise ValidationError({"end_year": _("Kỳ báo cáo không hợp lệ: từ năm phải ≤ đến năm.")})
    if end_year - start_year >= 20:
        raise ValidationError({"end_year": _("Kỳ báo cáo dài nhất 20 năm.")})
    if scheme not in SCHEMES:
        raise ValidationError({"scheme": _("Danh mục đơn vị hành chính không hợp lệ.")})
    if admin_unit and admin_unit not in dict(province_choices(scheme)):
        raise ValidationError(
            {"admin_unit": _("Tỉnh, thành phố này không thuộc địa giới đã chọn.")}
        )
    period = str(start_year) if start_year == end_year else f"{start_year}–{end_year}"
    with transaction.atomic():
        draft = ReportDraft.objects.create(
            template_key=template.key,
            title=_nfc(title)[:300] or f"{template.title} ({period})",
            start_year=start_year,
            end_year=end_year,
            admin_unit=admin_unit,
            scheme=scheme,
            created_by=actor,
        )
        audit.record_create(actor, draft)
    return draft


def current_texts(draft: ReportDraft) -> dict[str, SectionVersion]:
    """The newest version of each section's narrative."""
    latest: dict[str, SectionVersion] = {}
    for version in draft.versions.select_related("author").order_by("section", "-number"):
        latest.setdefault(version.section, version)
    return latest


def _new_version(actor, draft, section: str, text: str, restored_from=None) -> SectionVersion:
    last = draft.versions.filter(section=section).aggregate(n=Max("number"))["n"] or 0
    version = SectionVersion.objects.create(
        draft=draft,
        section=section,
        number=last + 1,
        text=text,
        author=actor,
        restored_from=restored_from,
    )
    ReportDraft.objects.filter(pk=draft.pk).update(updated_at=version.created_at)
    return version


def save_section(actor, draft: ReportDraft, section: str, text: str) -> SectionVersion | None:
    """Save the narrative of `section` as a new version; None when it did not change."""
    _require(actor)
    template = definitions.get_template(draft.template_key)
    if template is None or template.section(section) is None:
        raise ValidationError(_("Mục này không có trong mẫu báo cáo."))
    text = _nfc(text)
    if len(text) > TEXT_MAX:
        raise ValidationError(_("Nội dung mục dài quá %(n)s ký tự.") % {"n": TEXT_MAX})
    with transaction.atomic():
        ReportDraft.objects.select_for_update().filter(pk=draft.pk).first()
        current = draft.versions.filter(section=section).order_by("-number").first()
        if current is not None and current.text == text:
            return None
        if current is None and not text:
            return None
        version = _new_version(actor, draft, section, text)
        audit.record(
            actor,
            AuditAction.UPDATE,
            draft,
            {f"section {section}": [current.text if current else "", text]},
            note=f"v{version.number}",
        )
    return version


def restore_version(actor, draft: ReportDraft, version_id: int) -> SectionVersion:
    """Make an old version the current text again (as a new version that says so)."""
    _require(actor)
    old = draft.versions.filter(pk=version_id).first()
    if old is None:
        raise ValidationError(_("Không có phiên bản này."))
    with transaction.atomic():
        ReportDraft.objects.select_for_update().filter(pk=draft.pk).first()
        version = _new_version(actor, draft, old.section, old.text, restored_from=old.number)
        audit.record(
            actor,
            AuditAction.UPDATE,
            draft,
            {f"section {old.section}": [f"v{version.number - 1}", f"v{old.number}"]},
            note=_("Khôi phục phiên bản %(n)s") % {"n": old.number},
        )
    return version


def explain_check(actor, draft: ReportDraft, check_key: str, explanation: str) -> CheckNote | None:
    """Record (or, with an empty text, withdraw) the explanation of a check that disagrees."""
    _require(actor)
    template = definitions.get_template(draft.template_key)
    if template is None or check_key not in {c.key for c in template.checks}:
        raise ValidationError(_("Không có kiểm tra này trong mẫu báo cáo."))
    explanation = _nfc(explanation)[:2000]
    with transaction.atomic():
        note = draft.check_notes.filter(check_key=check_key).first()
        if not explanation:
            if note is not None:
                audit.record_delete(actor, note)
                note.delete()
            return None
        if note is None:
            note = CheckNote.objects.create(
                draft=draft, check_key=check_key, explanation=explanation, author=actor
            )
            audit.record_create(actor, note)
        elif note.explanation != explanation:
            before = audit.snapshot(note)
            note.explanation, note.author = explanation, actor
            note.save(update_fields=["explanation", "author", "updated_at"])
            audit.record_update(actor, note, before)
    return note


def unexplained(draft: ReportDraft, disagreements) -> list:
    """The disagreements no explanation covers (the build waits for them)."""
    explained = set(draft.check_notes.values_list("check_key", flat=True))
    return [d for d in disagreements if d.differs and d.check.key not in explained]


def request_build(actor, draft: ReportDraft, disagreements) -> ReportBuild:
    """Queue the DOCX and PDF of the draft; refused while figures disagree unexplained."""
    _require(actor)
    open_ones = unexplained(draft, disagreements)
    if open_ones:
        raise ValidationError(
            _("Còn %(n)s số liệu chênh lệch chưa được giải thích: %(what)s.")
            % {
                "n": len(open_ones),
                "what": "; ".join(f"{d.check.label} ({d.period})" for d in open_ones),
            }
        )
    with transaction.atomic():
        ReportDraft.objects.select_for_update().filter(pk=draft.pk).first()  # one at a time
        if draft.builds.filter(job__state__in=[JobState.QUEUED, JobState.RUNNING]).exists():
            raise ValidationError(_("Tệp báo cáo đang được tạo: chờ lần tạo trước xong."))
        build = ReportBuild.objects.create(draft=draft, requested_by=actor)
        build.job = core_jobs.create(BUILD, target=build, label=str(draft), requested_by=actor)
        build.save(update_fields=["job"])
        audit.record(actor, AuditAction.EXPORT, draft, note=_("Tạo tệp DOCX/PDF"))
        core_jobs.enqueue(build.job, tasks.build_report, build.pk)
    return build
