from django.contrib import admin

from sti.ip.models import Filing


@admin.register(Filing)
class FilingAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "application_number", "filed_on", "status", "grant_number")
    list_filter = ("kind", "status")
    search_fields = ("title", "application_number", "grant_number", "applicant_name")
    raw_id_fields = ("applicant_organization", "task")
