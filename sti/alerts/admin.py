from django.contrib import admin

from sti.alerts.models import DigestRun, FeedToken, SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "kind", "frequency", "covered_until", "created_at")
    list_filter = ("kind", "frequency")
    search_fields = ("name", "query", "user__username", "user__email")
    raw_id_fields = ("user",)


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ("saved_search", "period", "new_count", "emailed", "created_at")
    list_filter = ("emailed",)
    search_fields = ("saved_search__name", "saved_search__user__username")
    raw_id_fields = ("saved_search",)


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    exclude = ("token",)  # a secret: staff renew it, never read it
