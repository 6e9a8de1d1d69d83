"""Who may work on analytical reports: editors and administrators (leaders are editors here).
Drafts, versions, explanations and built files follow the same rule (`STAFF_ONLY`)."""

from __future__ import annotations

from sti.accounts.access import get_visible_or_404, is_editor
from sti.analytics.reports.models import ReportBuild, ReportDraft


def can_manage_reports(user) -> bool:
    return is_editor(user)


def get_draft_for_user(user, pk: int) -> ReportDraft:
    return get_visible_or_404(ReportDraft, user, pk=pk)


def get_build_for_user(user, pk: int) -> ReportBuild:
    return get_visible_or_404(ReportBuild, user, pk=pk)
