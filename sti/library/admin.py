from django.contrib import admin

from sti.library.models import Collection, Creator, Document, DocumentFile, UsageMonth


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent", "order")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class CreatorInline(admin.TabularInline):
    model = Creator
    extra = 0


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "source_type",
        "year",
        "access",
        "status",
        "digitization",
        "updated_at",
    )
    list_filter = ("source_type", "access", "status", "digitization", "language")
    search_fields = ("title", "call_number", "isbn", "issn", "doi")
    filter_horizontal = ("fields", "collections", "organizations")
    inlines = [CreatorInline]


@admin.register(DocumentFile)
class DocumentFileAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "document",
        "mime_type",
        "size",
        "text_method",
        "char_count",
        "quality",
    )
    list_filter = ("mime_type", "text_method", "quality")
    search_fields = ("original_name", "sha256")
    raw_id_fields = ("document",)
    exclude = ("text",)


@admin.register(UsageMonth)
class UsageMonthAdmin(admin.ModelAdmin):
    list_display = ("document", "month", "views", "downloads")
    raw_id_fields = ("document",)
