"""What news puts in the search index: articles and published periodical issues.

No principals here: `IndexSpec.document_for` takes them from the models' access rules, so a
scheduled article is indexed at once with its publication moment as an embargo, and search
shows it to the public from that moment, exactly as the pages do.
"""

from django.utils.translation import gettext_lazy as _

from sti.news.models import Article, Category, Issue, IssueItem
from sti.search.base import SearchDocument
from sti.search.registry import IndexSpec, register


def article_document(article: Article) -> SearchDocument:
    tags = [("status", article.status)]
    if article.category_id:
        tags.append(("category", article.category.slug))
    body = "\n".join(
        part
        for part in (
            article.summary,
            article.body,
            " ".join(tag.name for tag in article.tags.all()),
            article.organization.name,
        )
        if part
    )
    return SearchDocument(
        type="article",
        pk=str(article.pk),
        title=article.title,
        body=body,
        url=article.get_absolute_url(),
        subtitle=article.organization.name,
        fields=[field.code for field in article.fields.all()],
        date=article.publish_at or article.created_at,
        tags=tags,
    )


def issue_document(issue: Issue) -> SearchDocument:
    body = "\n".join([issue.summary] + [f"{item.title}\n{item.text}" for item in issue.items.all()])
    return SearchDocument(
        type="issue",
        pk=str(issue.pk),
        title=str(issue),
        body=body,
        url=issue.get_absolute_url(),
        subtitle=issue.series.get_kind_display(),
        fields=[field.code for field in issue.fields.all()],
        year=issue.year,
        date=issue.issued,
        tags=[("series", issue.series.slug)],
    )


register(
    IndexSpec(
        type="article",
        label=_("Tin tức"),
        model=Article,
        queryset=lambda: Article.objects.select_related(
            "organization", "category"
        ).prefetch_related("fields", "tags"),
        to_document=article_document,
        dependencies={
            Category: lambda category: list(category.articles.values_list("pk", flat=True))
        },
        icon="bi-newspaper",
    )
)
register(
    IndexSpec(
        type="issue",
        label=_("Ấn phẩm định kỳ"),
        model=Issue,
        queryset=lambda: Issue.objects.select_related("series").prefetch_related("fields", "items"),
        to_document=issue_document,
        dependencies={IssueItem: lambda item: [item.issue_id]},
        icon="bi-journal-richtext",
    )
)
