"""The lifecycle of an organization, on the shared state-machine code.

An active organization is dissolved or merged into another active one (its researchers move
with it); a dissolution or merger recorded by mistake is undone by reactivating it. Editors
make every move; `ORGANIZATION.move` is the only writer of an organization's status.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sti.core.statemachine import StateMachine, moves
from sti.directory.choices import OrganizationStatus as S
from sti.directory.models import Organization

EDITOR = "editor"


def organization_roles(user, organization) -> set[str]:
    return {EDITOR} if user.is_editor else set()


def _merges_into_an_active_other(organization, context) -> str:
    into = context.get("into")
    if into is None:
        return str(_("Hãy chọn tổ chức tiếp nhận."))
    if into.pk == organization.pk:
        return str(_("Không thể sáp nhập một tổ chức vào chính nó."))
    if into.status != S.ACTIVE:
        return str(_("Chỉ sáp nhập được vào một tổ chức đang hoạt động."))
    return ""


def _merged_into(organization, move, context) -> None:
    organization.merged_into = context.get("into") if move.target == S.MERGED else None


_ED = {EDITOR}
ORGANIZATION = StateMachine(
    model=Organization,
    states=S,
    noun=_("tổ chức"),
    table=[
        *moves([S.ACTIVE, S.MERGED], S.DISSOLVED, _("Giải thể"), _ED),
        *moves([S.ACTIVE, S.DISSOLVED], S.MERGED, _("Sáp nhập"), _ED, _merges_into_an_active_other),
        *moves([S.DISSOLVED, S.MERGED], S.ACTIVE, _("Hoạt động trở lại"), _ED),
    ],
    roles=organization_roles,
    on_move=_merged_into,
)
