"""Who may see and change the thesaurus: everyone reads it (the models' access rules), only
the center's editors change it."""

from __future__ import annotations

from sti.accounts.access import get_visible_or_404, is_editor
from sti.thesaurus.models import Concept, Term


def get_concept_for_user(user, pk) -> Concept:
    return get_visible_or_404(Concept, user, pk=pk)


def get_term_for_user(user, pk) -> Term:
    return get_visible_or_404(Term, user, pk=pk)


def can_edit_thesaurus(user) -> bool:
    """Editors and administrators; a registered user, a reporter or a plain member may not."""
    return is_editor(user)
