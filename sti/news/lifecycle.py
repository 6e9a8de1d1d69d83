"""The editorial workflow of a news article, as one state table.

    draft ──submit──▶ review ──schedule──▶ scheduled ──(its moment; the worker)──▶ published
      ▲                 │  └────────publish now────────────────────────────────▶    │
      └──back to draft──┴── (from review, scheduled, archived)      archived ◀──archive┘

Who may do what: the reporters of the writing organization write drafts and submit them
(and may take back their own article while it waits for review); the center's editors
review, schedule, publish, archive and send back. The worker (actor None, role SYSTEM)
publishes a scheduled article whose moment has come. `ARTICLE.move` is the only writer of
`Article.status`: it locks the row, checks the table and the guards, and writes the audit row.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core.statemachine import SYSTEM, StateMachine, moves
from sti.news.choices import ArticleStatus as S
from sti.news.choices import IssueStatus
from sti.news.models import Article, Issue

EDITOR = "editor"
REPORTER = "reporter"


def article_roles(user, article) -> set[str]:
    """The actor's roles on this article (the state machine asks; anonymous hold none)."""
    roles = {EDITOR} if user.is_editor else set()
    if user.is_reporter_for(article.organization_id):
        roles.add(REPORTER)
    return roles


# Guards return "" when the move may go ahead, else what is missing (shown to the user).
def _has_text(article, context) -> str:
    if not article.title.strip() or not article.body.strip():
        return str(_("bài tin cần có tiêu đề và nội dung."))
    return ""


def _moment_in_future(article, context) -> str:
    moment = context.get("publish_at")
    if moment is None:
        return str(_("hãy chọn thời điểm đăng."))
    if moment <= timezone.now():
        return str(_("thời điểm đăng phải ở tương lai; muốn đăng ngay hãy chọn “Đăng ngay”."))
    return ""


def _due_for_the_worker(article, context) -> str:
    """The worker publishes only when the moment has come; an editor may publish earlier."""
    if context.get("actor") is None and (
        article.publish_at is None or article.publish_at > timezone.now()
    ):
        return str(_("chưa đến thời điểm đăng."))
    return ""


def _stamp(article, move, context) -> None:
    """Publishing now sets the publication moment; going back to draft clears a schedule."""
    now = timezone.now()
    if move.target == S.PUBLISHED and context.get("actor") is not None:
        if article.publish_at is None or article.publish_at > now:
            article.publish_at = now
    if move.target == S.DRAFT and move.source == S.SCHEDULED:
        article.publish_at = None


_ED, _REP, _BOTH = {EDITOR}, {REPORTER}, {EDITOR, REPORTER}
ARTICLE = StateMachine(
    model=Article,
    states=S,
    noun=_("bài tin"),
    table=[
        *moves([S.DRAFT], S.REVIEW, _("Gửi duyệt"), _BOTH, _has_text),
        *moves([S.REVIEW], S.DRAFT, _("Trả về bản nháp"), _BOTH),
        *moves([S.REVIEW], S.SCHEDULED, _("Hẹn giờ đăng"), _ED, _has_text, _moment_in_future),
        *moves([S.REVIEW, S.ARCHIVED], S.PUBLISHED, _("Đăng ngay"), _ED, _has_text),
        *moves([S.SCHEDULED], S.PUBLISHED, _("Đăng ngay"), {EDITOR, SYSTEM}, _due_for_the_worker),
        *moves([S.SCHEDULED, S.ARCHIVED], S.DRAFT, _("Trả về bản nháp"), _ED),
        *moves([S.PUBLISHED], S.ARCHIVED, _("Gỡ xuống (lưu trữ)"), _ED),
    ],
    roles=article_roles,
    on_move=_stamp,
)


# ---------------------------------------------------------------------------
# Periodical issues: prepared as drafts, published (republishing updates in place), and
# unpublished back to editing: its library document is then withdrawn (`services`).
# ---------------------------------------------------------------------------
def issue_roles(user, issue) -> set[str]:
    return {EDITOR} if user.is_editor else set()


def _has_pdf(issue, context) -> str:
    return "" if issue.pdf else str(_("số này chưa có tệp PDF (tải lên hoặc tạo tệp)."))


def _issue_published(issue, move, context) -> None:
    if move.target == IssueStatus.PUBLISHED and issue.published_at is None:
        issue.published_at = timezone.now()
    if move.target == IssueStatus.DRAFT:
        issue.published_at = None  # published again later: dated then


ISSUE = StateMachine(
    model=Issue,
    states=IssueStatus,
    noun=_("số ấn phẩm"),
    table=[
        *moves([IssueStatus.DRAFT], IssueStatus.PUBLISHED, _("Phát hành"), _ED, _has_pdf),
        *moves(
            [IssueStatus.PUBLISHED],
            IssueStatus.DRAFT,
            _("Gỡ phát hành"),
            _ED,
            confirm=_(
                "số này không còn công khai và tài liệu thư viện của nó bị rút "
                "(OAI-PMH báo bản ghi đã xóa); phát hành lại sẽ tạo bản ghi thư viện mới."
            ),
        ),
    ],
    roles=issue_roles,
    on_move=_issue_published,
)
