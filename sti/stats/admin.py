from django.contrib import admin

from sti.stats.models import (
    AggregateSet,
    Breakdown,
    BreakdownOption,
    Indicator,
    Period,
    Regime,
    Reminder,
    ReportForm,
    Section,
    Submission,
    SubmissionVersion,
    ValidationRule,
)


class OptionInline(admin.TabularInline):
    model = BreakdownOption
    extra = 0


@admin.register(Regime)
class RegimeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "legal_basis", "valid_from", "valid_until"]
    search_fields = ["code", "name", "legal_basis"]


@admin.register(Breakdown)
class BreakdownAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "regime", "codelist"]
    list_filter = ["regime"]
    search_fields = ["code", "name"]
    inlines = [OptionInline]


@admin.register(ReportForm)
class ReportFormAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "regime", "unit"]
    list_filter = ["regime"]
    search_fields = ["code", "name"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "form", "order"]
    list_filter = ["form__regime", "form"]
    search_fields = ["name"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "unit", "section"]
    list_filter = ["regime", "section__form", "kind"]
    search_fields = ["code", "name", "name_en"]


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "form", "kind", "left", "operator", "right", "level"]
    list_filter = ["form__regime", "form", "kind", "level"]
    search_fields = ["code", "message", "left", "right"]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "regime", "deadline"]
    list_filter = ["regime"]
    search_fields = ["year"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["organization", "form", "period", "status", "submitted_at"]
    list_filter = ["period", "form", "status"]
    search_fields = ["organization__name"]
    raw_id_fields = ["organization"]
    readonly_fields = ["status"]


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(admin.ModelAdmin):
    list_display = ["submission", "number", "source", "created_at"]
    search_fields = ["submission__organization__name"]
    readonly_fields = ["submission", "number", "values", "source", "created_by"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["submission", "kind", "due_on", "sent_at", "recipients"]
    list_filter = ["kind"]
    search_fields = ["submission__organization__name"]


@admin.register(AggregateSet)
class AggregateSetAdmin(admin.ModelAdmin):
    """Derived data: read only here; rebuilt by the worker, published from the stats pages."""

    list_display = ["period", "built_at", "organizations", "submissions", "published_at"]
    readonly_fields = [
        "period",
        "built_at",
        "organizations",
        "submissions",
        "build_seconds",
        "published_at",
        "published_by",
        "published_built_at",
    ]
