"""Who may see and do what with news and periodicals (the predicates pages, services, the
API and templates share). Seeing is the models' access rules; doing is decided here."""

from __future__ import annotations

from sti.accounts.access import get_visible_or_404
from sti.news.choices import ArticleStatus
from sti.news.models import Article, Issue, Series


def get_article_for_user(user, pk) -> Article:
    """The article if this user may see it; invisible and missing both answer 404."""
    return get_visible_or_404(Article, user, pk=pk)


def get_issue_for_user(user, pk) -> Issue:
    return get_visible_or_404(Issue, user, pk=pk)


def get_series(slug) -> Series:
    return get_visible_or_404(Series, None, slug=slug)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def writable_organization_ids(user) -> list[int] | None:
    """Organizations the user may write news for (None: any, for editors)."""
    if not _signed_in(user):
        return []
    if user.is_editor:
        return None
    return user.reporter_organization_ids()


def can_create_article(user) -> bool:
    """Editors, and reporters of at least one organization (a plain member may not)."""
    ids = writable_organization_ids(user)
    return ids is None or bool(ids)


def can_edit_article(user, article: Article) -> bool:
    """Editors at any stage; the organization's reporters while it is a draft."""
    if not _signed_in(user):
        return False
    if user.is_editor:
        return True
    return article.status == ArticleStatus.DRAFT and user.is_reporter_for(article.organization_id)


def can_manage_categories(user) -> bool:
    return _signed_in(user) and user.is_editor


def can_manage_periodicals(user) -> bool:
    """Issues are prepared, built and published by the center's editors."""
    return _signed_in(user) and user.is_editor
