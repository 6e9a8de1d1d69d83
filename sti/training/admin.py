from django.contrib import admin

from sti.training.models import Certificate, Course, CourseSession, Registration, Trainer


class SessionInline(admin.TabularInline):
    model = CourseSession
    extra = 0


class TrainerInline(admin.TabularInline):
    model = Trainer
    extra = 0
    autocomplete_fields = ["researcher"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "organizer", "starts_on", "capacity", "status"]
    list_filter = ["status", "delivery"]
    search_fields = ["title", "title_folded"]
    autocomplete_fields = ["organizer"]
    filter_horizontal = ["fields"]
    inlines = [SessionInline, TrainerInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "course", "status", "created_at"]
    list_filter = ["status", "gender", "organization_kind"]
    search_fields = ["full_name", "email", "organization_name"]
    raw_id_fields = ["course", "user"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "holder_name", "issued_on", "revoked_at"]
    search_fields = ["number", "holder_name"]
    raw_id_fields = ["registration"]
