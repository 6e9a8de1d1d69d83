from django.urls import path

from sti.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("viec-can-lam/", views.editor_worklist, name="worklist"),
    path("trang-thai-he-thong/", views.system_status, name="status"),
]
