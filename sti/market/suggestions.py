"""The explained matches shown on the pages: for a demand, the offers, completed tasks,
documents and experts that could answer it; for an offer, the demands it could serve
(`sti.market.matching`, each match only a record the viewer may open)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _

from sti.core.similarity import IndexNotReady
from sti.market.matching import match_demand, match_offer

logger = logging.getLogger(__name__)

KIND_LABELS = {
    "offer": _("Công nghệ chào bán"),
    "task": _("Nhiệm vụ KH&CN đã hoàn thành"),
    "document": _("Tài liệu"),
    "expert": _("Chuyên gia"),
    "demand": _("Nhu cầu công nghệ"),
}
LIMIT = 12


def _grouped(matches) -> list[dict]:
    groups: dict[str, list] = {}
    for match in matches:
        groups.setdefault(match.kind, []).append(match)
    return [
        {"kind": kind, "label": KIND_LABELS.get(kind, kind), "matches": groups[kind]}
        for kind in KIND_LABELS
        if groups.get(kind)
    ]


def demand_matches(user, demand) -> dict:
    """{"ready": False} while the worker builds the matrix, else the groups by kind."""
    try:
        matches = match_demand(demand, user=user, limit=LIMIT)
    except IndexNotReady:
        return {"ready": False, "groups": []}
    return {"ready": True, "groups": _grouped(matches)}


def offer_matches(user, offer) -> dict:
    try:
        matches = match_offer(offer, user=user, limit=LIMIT)
    except IndexNotReady:
        return {"ready": False, "groups": []}
    return {"ready": True, "groups": _grouped(matches)}
