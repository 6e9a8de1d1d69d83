"""Who may do what with saved searches: they are personal, so only their owner."""

from __future__ import annotations

from django.http import Http404

from sti.alerts.models import SavedSearch


def get_saved_search_for_user(user, pk) -> SavedSearch:
    """The user's own saved search; another user's (an editor's too) is 404, as a missing one."""
    try:
        return SavedSearch.objects.owned_by(user).get(pk=pk)
    except SavedSearch.DoesNotExist as missing:
        raise Http404 from missing


def can_save_search(user) -> bool:
    """Any signed-in user may save searches and follow facets."""
    return user is not None and user.is_authenticated and user.is_active


def can_edit_saved_search(user, saved: SavedSearch) -> bool:
    return can_save_search(user) and saved.user_id == user.pk
