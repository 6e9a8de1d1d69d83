"""The thesaurus's pages, mounted under /tu-dien-dong-nghia/ by `ThesaurusConfig.ready()`."""

from django.urls import path

from sti.thesaurus import views

app_name = "thesaurus"
urlpatterns = [
    path("", views.concept_list, name="concept_list"),
    path("them/", views.concept_create, name="concept_create"),
    path("xuat/<str:fmt>/", views.export, name="export"),
    path("nhap/", views.import_upload, name="import_upload"),
    path("nhap/mau.xlsx", views.import_template, name="import_template"),
    path("nhap/<str:token>/", views.import_preview, name="import_preview"),
    path("<int:pk>/", views.concept_detail, name="concept_detail"),
    path("<int:pk>/sua/", views.concept_edit, name="concept_edit"),
    path("<int:pk>/xoa/", views.concept_delete, name="concept_delete"),
    path("<int:pk>/them-thuat-ngu/", views.term_create, name="term_create"),
    path("thuat-ngu/<int:pk>/sua/", views.term_edit, name="term_edit"),
    path("thuat-ngu/<int:pk>/xoa/", views.term_delete, name="term_delete"),
]
