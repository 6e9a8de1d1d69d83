from django.contrib import admin

from sti.core.models import (
    AdminUnit,
    AuditEntry,
    CodeListVersion,
    FieldOfScience,
    TaskLevel,
    TrackedJob,
)


@admin.register(CodeListVersion)
class CodeListVersionAdmin(admin.ModelAdmin):
    list_display = [
        "list_name",
        "version",
        "legal_basis",
        "valid_from",
        "valid_until",
        "is_current",
    ]
    list_filter = ["list_name", "is_current"]


@admin.register(FieldOfScience)
class FieldOfScienceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "version"]
    list_filter = ["version", "level"]
    search_fields = ["code", "name", "name_en"]


@admin.register(TaskLevel)
class TaskLevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order", "is_legacy", "version"]


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "merged_into", "version"]
    list_filter = ["version", "kind"]
    search_fields = ["code", "name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TrackedJob)
class TrackedJobAdmin(admin.ModelAdmin):
    list_display = ["kind", "label", "state", "done", "total", "created_at", "finished_at"]
    list_filter = ["kind", "state"]
    search_fields = ["label", "target_id", "error"]
    raw_id_fields = ["requested_by"]
