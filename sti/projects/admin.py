from django.contrib import admin

from sti.projects import models


class TaskMemberInline(admin.TabularInline):
    model = models.TaskMember
    extra = 0
    autocomplete_fields = ["researcher"]


@admin.register(models.Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "host", "level", "status", "planned_start", "is_confidential"]
    list_filter = ["status", "level", "form", "is_confidential"]
    search_fields = ["code", "title", "title_folded"]
    autocomplete_fields = ["host", "principal"]
    filter_horizontal = ["fields"]
    readonly_fields = ["status"]  # the lifecycle changes it, never a form
    inlines = [TaskMemberInline]


@admin.register(models.Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "status", "top_score", "flagged"]
    list_filter = ["status", "flagged"]
    search_fields = ["title"]


@admin.register(models.TaskTransition)
class TaskTransitionAdmin(admin.ModelAdmin):
    list_display = ["task", "from_status", "to_status", "actor", "effective_date"]
    list_filter = ["to_status"]

    def has_change_permission(self, request, obj=None):
        return False


class CouncilMemberInline(admin.TabularInline):
    model = models.CouncilMember
    extra = 0


@admin.register(models.Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["task", "kind", "meeting_date"]
    list_filter = ["kind"]
    inlines = [CouncilMemberInline]


@admin.register(models.ResultRegistration)
class ResultRegistrationAdmin(admin.ModelAdmin):
    list_display = ["task", "status", "certificate_number", "archive_number", "issued_on"]
    list_filter = ["status"]
    search_fields = ["archive_number", "certificate_number", "task__title"]


for model in (
    models.ProgressCheck,
    models.Acceptance,
    models.DuplicateMatch,
    models.Evaluation,
    models.ConflictOfInterest,
    models.ResultApplication,
    models.Publication,
    models.CatalogueBuild,
    models.RegistrationFile,
):
    admin.site.register(model)
