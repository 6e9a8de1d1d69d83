from django.urls import path

from sti.search import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("lap-lai-chi-muc/<slug:type>/", views.reindex_type, name="reindex"),
]
