"""The thesaurus in the back office, read only: changes go through the editor pages, whose
services write the audit trail and raise the revision every process's expander follows."""

from django.contrib import admin

from sti.thesaurus.models import Concept, Revision, Term


class ReadOnlyAdmin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TermInline(ReadOnlyAdmin, admin.TabularInline):
    model = Term
    extra = 0
    fields = ["text", "relation", "weight", "source", "note"]


@admin.register(Concept)
class ConceptAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["label", "field", "updated_at"]
    search_fields = ["label", "folded", "terms__text", "terms__folded"]
    list_filter = ["field"]
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["text", "concept", "relation", "weight", "source"]
    search_fields = ["text", "folded", "concept__label"]
    list_filter = ["relation"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["number", "data_version", "updated_at"]
