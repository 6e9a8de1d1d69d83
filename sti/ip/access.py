"""Who may see and change the IP register (the rule itself is `FilingQuerySet.access_rule`).

Everyone sees published applications and grants; the members of the applicant organization
also see its unpublished ones. Editors and the applicant organization's reporters record
and update filings; a plain member of the organization only reads.
"""

from __future__ import annotations

from sti.accounts.access import get_visible_or_404
from sti.ip.models import Filing


def get_filing_for_user(user, pk) -> Filing:
    return get_visible_or_404(Filing, user, pk=pk)


def can_file_for(user, organization_id) -> bool:
    """Whether `user` may record filings of the organization (None: an applicant outside
    the directory, which only editors record)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_editor:
        return True
    return organization_id is not None and user.is_reporter_for(organization_id)


def can_create_filing(user) -> bool:
    """Editors, and reporters of at least one organization (for their own)."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_editor or user.reporter_organization_ids())
    )


def can_edit_filing(user, filing: Filing) -> bool:
    return can_file_for(user, filing.applicant_organization_id)
