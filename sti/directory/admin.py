from django.contrib import admin

from sti.directory.models import Organization, Researcher


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "kind", "identifier", "status"]
    list_filter = ["kind", "status", "sector"]
    search_fields = ["name", "abbreviation", "identifier", "name_folded"]
    filter_horizontal = ["fields"]


@admin.register(Researcher)
class ResearcherAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "degree",
        "academic_title",
        "organization",
        "is_expert",
        "is_public",
    ]
    list_filter = ["degree", "academic_title", "is_expert", "is_public"]
    search_fields = ["full_name", "name_folded", "expertise"]
    autocomplete_fields = ["organization", "user"]
    filter_horizontal = ["fields"]
