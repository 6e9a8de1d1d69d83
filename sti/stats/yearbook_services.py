"""Requesting a statistical yearbook: an editor's verb. The worker builds it
(`yearbook_jobs.py`), from the published aggregates only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sti.core import audit
from sti.core import jobs as core_jobs
from sti.core.choices import AuditAction
from sti.stats import access, publication, yearbook_tasks
from sti.stats.models import YearbookBuild

YEARBOOK = "stats.yearbook"


def request_yearbook(actor, year: int) -> YearbookBuild:
    """Queue the yearbook of `year`; refused (with a message) unless that year's aggregates
    are published."""
    if not access.can_manage_periods(actor):
        raise PermissionDenied(_("Chỉ biên tập viên được tạo ấn phẩm thống kê."))
    if year not in {p.year for p in publication.published_periods_until()}:
        raise ValidationError(
            _("Số liệu tổng hợp năm %(year)s chưa được công bố: chưa tạo được ấn phẩm.")
            % {"year": year}
        )
    with transaction.atomic():
        build = YearbookBuild.objects.create(year=year, requested_by=actor)
        build.job = core_jobs.create(YEARBOOK, target=build, label=str(build), requested_by=actor)
        build.save(update_fields=["job"])
        audit.record(actor, AuditAction.EXPORT, build, note=str(build))
        core_jobs.enqueue(build.job, yearbook_tasks.build_yearbook, build.pk)
    return build
