"""The status page's check of the regional network: a source failing for longer than
STI_HARVEST_ALERT_DAYS days is an error, a failure younger than that a warning."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core.registries import ERROR, OK, WARNING, Check
from sti.harvest.models import Source


def sources() -> Check:
    label = _("Thu thập OAI-PMH (mạng lưới vùng)")
    active = list(Source.objects.filter(active=True).order_by("name"))
    if not active:
        return Check(label, OK, _("Chưa đăng ký nguồn nào."))
    limit = timezone.now() - timedelta(days=settings.STI_HARVEST_ALERT_DAYS)
    failing = [s for s in active if s.failing_since is not None]
    stale = [s for s in failing if s.failing_since <= limit]
    link = {"link_url": reverse("harvest:source_list"), "link_label": _("Các nguồn thu thập")}
    if stale:
        detail = _("Lỗi quá %(days)s ngày: %(names)s.") % {
            "days": settings.STI_HARVEST_ALERT_DAYS,
            "names": "; ".join(f"{s.name} ({s.last_error[:120]})" for s in stale),
        }
        return Check(label, ERROR, detail, **link)
    if failing:
        detail = _("Lần thu thập gần nhất bị lỗi: %(names)s.") % {
            "names": ", ".join(s.name for s in failing)
        }
        return Check(label, WARNING, detail, **link)
    return Check(label, OK, _("%(n)s nguồn, đều thu thập được.") % {"n": len(active)}, **link)
