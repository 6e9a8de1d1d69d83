from django.urls import path

from sti.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("nhat-ky/", views.audit_log, name="audit"),
    path("trang-thai-he-thong/", views.system_status, name="status"),
]
