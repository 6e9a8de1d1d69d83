"""Who may manage the regional network: sources, their harvests and their settings are for
the center's editors. Harvested records are public metadata (the model's access rule) and
nobody edits them here: a partner corrects its own records, the next harvest brings them."""

from __future__ import annotations

from sti.accounts.access import get_visible_or_404
from sti.harvest.models import HarvestedRecord, Source


def can_manage_sources(user) -> bool:
    return user is not None and user.is_authenticated and user.is_editor


def get_source_for_user(user, pk) -> Source:
    """The source if this user may see it (editors); others get 404."""
    return get_visible_or_404(Source, user, pk=pk)


def get_record_for_user(user, pk) -> HarvestedRecord:
    return get_visible_or_404(HarvestedRecord, user, pk=pk)
