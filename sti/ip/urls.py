from django.urls import path

from sti.ip import views

app_name = "ip"
urlpatterns = [
    path("", views.filing_list, name="filing_list"),
    path("xuat.<str:fmt>", views.filing_export, name="filing_export"),
    path("them/", views.filing_create, name="filing_create"),
    path("<int:pk>/", views.filing_detail, name="filing_detail"),
    path("<int:pk>/sua/", views.filing_edit, name="filing_edit"),
    path("<int:pk>/trang-thai/", views.filing_move, name="filing_move"),
    path("<int:pk>/xoa/", views.filing_delete, name="filing_delete"),
    path("nhap/", views.import_upload, name="import_upload"),
    path("nhap/mau.xlsx", views.import_template, name="import_template"),
    path("nhap/<str:token>/", views.import_preview, name="import_preview"),
]
