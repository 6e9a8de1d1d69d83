from django.urls import path

from sti.analytics.reports import views

app_name = "analytics_reports"

urlpatterns = [
    path("", views.draft_list, name="list"),
    path("<int:pk>/", views.draft_detail, name="draft"),
    path("<int:pk>/muc/<str:key>/", views.section_save, name="section_save"),
    path("<int:pk>/muc/<str:key>/lich-su/", views.section_history, name="section_history"),
    path("<int:pk>/phien-ban/<int:version_id>/khoi-phuc/", views.version_restore, name="restore"),
    path("<int:pk>/kiem-tra/<str:key>/", views.check_explain, name="check_explain"),
    path("<int:pk>/tao-tep/", views.build_request, name="build"),
    path("tep/<int:pk>/trang-thai/", views.build_status, name="build_status"),
    path("tep/<int:pk>/<str:fmt>/", views.build_download, name="build_download"),
]
