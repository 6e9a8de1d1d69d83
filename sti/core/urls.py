from django.urls import path

from sti.core import views

app_name = "core"
urlpatterns = [
    path("nhat-ky/", views.audit_log, name="audit"),
]
