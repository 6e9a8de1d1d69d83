from django.contrib import admin

from sti.thesaurus.models import Concept, Revision, Term


class TermInline(admin.TabularInline):
    model = Term
    extra = 0
    fields = ["text", "relation", "weight", "source", "note"]


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["label", "field", "updated_at"]
    search_fields = ["label", "folded", "terms__text", "terms__folded"]
    list_filter = ["field"]
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["text", "concept", "relation", "weight", "source"]
    search_fields = ["text", "folded", "concept__label"]
    list_filter = ["relation"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["number", "data_version", "updated_at"]
