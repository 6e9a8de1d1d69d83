from django.urls import path

from sti.core import views

app_name = "core"
urlpatterns = [
    path("nhat-ky/", views.audit_log, name="audit"),
    path("cong-viec-nen/", views.job_list, name="jobs"),
    path("cong-viec-nen/chay-lai-viec-mat-tien-trinh/", views.jobs_reap, name="jobs_reap"),
    path("cong-viec-nen/<int:pk>/chay-lai/", views.job_retry, name="job_retry"),
]
