"""The regional network's pages, mounted under /mang-luoi/ by `HarvestConfig.ready()`."""

from django.urls import path

from sti.harvest import partner, views

app_name = "harvest"
urlpatterns = [
    path("", views.union_catalogue, name="union"),
    path("ban-ghi/<int:pk>/", views.record_detail, name="record"),
    path("nguon/", views.source_list, name="source_list"),
    path("nguon/them/", views.source_create, name="source_create"),
    path("nguon/<int:pk>/", views.source_detail, name="source"),
    path("nguon/<int:pk>/thu-thap/", views.source_harvest, name="source_harvest"),
    path("doi-tac/<slug:repository>/oai", partner.partner_oai, name="partner_oai"),
]
