from django.contrib import admin

from sti.news.models import Article, Category, Issue, IssueItem, Series, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "category", "status", "publish_at"]
    list_filter = ["status", "category"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["tags", "fields"]
    # The workflow state changes only through lifecycle.ARTICLE (the article's page).
    readonly_fields = ["status", "publish_at", "author"]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "issn", "collection", "order"]
    list_filter = ["kind"]
    search_fields = ["name"]


class IssueItemInline(admin.TabularInline):
    model = IssueItem
    extra = 0
    fields = ["position", "section", "title", "terms"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["__str__", "series", "issued", "status", "document"]
    list_filter = ["series", "status", "year"]
    search_fields = ["title", "summary"]
    readonly_fields = ["status", "document", "build_job", "published_at"]
    inlines = [IssueItemInline]
