"""Queues of the editor's worklist (`/viec-can-lam/`): offers waiting for review, demands
waiting for a broker."""

from sti.core.registries import QueueSummary, summarize
from sti.market.choices import DemandStatus, OfferStatus
from sti.market.models import Demand, Offer


def offers_in_review(user) -> QueueSummary:
    return summarize(Offer.objects.filter(state=OfferStatus.UNDER_REVIEW), "updated_at")


def demands_received(user) -> QueueSummary:
    return summarize(Demand.objects.filter(state=DemandStatus.RECEIVED), "created_at")
