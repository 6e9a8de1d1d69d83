from django.urls import path

from sti.directory import views

app_name = "directory"
urlpatterns = [
    path("to-chuc/", views.organization_list, name="organization_list"),
    path("to-chuc/them/", views.organization_create, name="organization_create"),
    path("to-chuc/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("to-chuc/<int:pk>/sua/", views.organization_edit, name="organization_edit"),
    path("to-chuc/<int:pk>/xoa/", views.organization_delete, name="organization_delete"),
    path("to-chuc/<int:pk>/trang-thai/", views.organization_status, name="organization_status"),
    path("nha-khoa-hoc/", views.researcher_list, name="researcher_list"),
    path("nha-khoa-hoc/them/", views.researcher_create, name="researcher_create"),
    path("nha-khoa-hoc/<int:pk>/", views.researcher_detail, name="researcher_detail"),
    path("nha-khoa-hoc/<int:pk>/sua/", views.researcher_edit, name="researcher_edit"),
    path("nha-khoa-hoc/<int:pk>/xoa/", views.researcher_delete, name="researcher_delete"),
    # <kind> is "to-chuc" or "nha-khoa-hoc" (imports.IMPORTERS).
    path("nhap/<slug:kind>/", views.import_upload, name="import_upload"),
    path("nhap/<slug:kind>/mau.xlsx", views.import_template, name="import_template"),
    path("nhap/<slug:kind>/<str:token>/", views.import_preview, name="import_preview"),
]
