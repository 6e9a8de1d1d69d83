from django.contrib import admin

from sti.market.models import (
    Demand,
    Exhibitor,
    MarketEvent,
    Offer,
    OfferImage,
    OfferOwner,
    TransferContract,
)


class OfferOwnerInline(admin.TabularInline):
    model = OfferOwner
    extra = 0


class OfferImageInline(admin.TabularInline):
    model = OfferImage
    extra = 0


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("title", "owner_organization", "state", "trl", "price_type", "expires_on")
    list_filter = ("state", "price_type", "province")
    search_fields = ("title",)
    inlines = [OfferOwnerInline, OfferImageInline]


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = ("title", "organization", "requester_name", "state", "broker")
    list_filter = ("state", "province")
    search_fields = ("title",)


@admin.register(TransferContract)
class TransferContractAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "value_vnd", "signed_on")
    list_filter = ("kind",)


class ExhibitorInline(admin.TabularInline):
    model = Exhibitor
    extra = 0
    filter_horizontal = ("offers",)


@admin.register(MarketEvent)
class MarketEventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_on", "venue", "capacity", "is_published")
    inlines = [ExhibitorInline]


@admin.register(Exhibitor)
class ExhibitorAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "booth", "status")
    list_filter = ("status",)
    filter_horizontal = ("offers",)
