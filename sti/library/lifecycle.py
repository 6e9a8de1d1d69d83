"""The review workflow of deposited documents, on the shared state-machine code.

A registered user deposits a report (submitted); an editor accepts it (published), returns it
with a comment (returned) or rejects it; the depositor resubmits a returned deposit or a draft;
an editor withdraws (soft-deletes) a record in any state. `DOCUMENT.move` is the only writer
of a document's state after it is created.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core.statemachine import StateMachine, moves
from sti.core.text import normalize
from sti.library.choices import DigitizationState
from sti.library.choices import DocumentStatus as D
from sti.library.models import Document

EDITOR = "editor"
DEPOSITOR = "depositor"


def document_roles(user, document) -> set[str]:
    roles = {EDITOR} if user.is_editor else set()
    if document.submitted_by_id == user.pk:
        roles.add(DEPOSITOR)
    return roles


def _needs_comment(document, context) -> str:
    if not normalize(context["note"]):
        return str(_("Hãy ghi ý kiến để người nộp biết cần bổ sung gì."))
    return ""


def _review_fields(document, move, context) -> None:
    if move.target == D.WITHDRAWN:
        document.deleted_at = timezone.now()
        return
    document.review_comment = normalize(context["note"])
    if move.target == D.PUBLISHED and document.published_at is None:
        document.published_at = timezone.now()
        if document.digitization == DigitizationState.CATALOGUED:
            document.digitization = DigitizationState.PUBLISHED


_ED = {EDITOR}
DOCUMENT = StateMachine(
    model=Document,
    states=D,
    noun=_("tài liệu"),
    table=[
        *moves([D.SUBMITTED], D.PUBLISHED, _("Duyệt và công bố"), _ED),
        *moves([D.SUBMITTED], D.RETURNED, _("Trả lại để bổ sung"), _ED, _needs_comment),
        *moves(
            [D.SUBMITTED],
            D.REJECTED,
            _("Từ chối"),
            _ED,
            confirm=_("Tài liệu bị từ chối không thể nộp lại."),
        ),
        *moves([D.RETURNED, D.DRAFT], D.SUBMITTED, _("Nộp lại"), {DEPOSITOR}),
        *moves(
            [s for s in D.values if s != D.WITHDRAWN],
            D.WITHDRAWN,
            _("Rút (xóa)"),
            _ED,
            confirm=_("Tài liệu đã rút không thể khôi phục; OAI-PMH sẽ báo bản ghi đã xóa."),
        ),
    ],
    roles=document_roles,
    on_move=_review_fields,
)
