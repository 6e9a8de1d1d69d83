from django.urls import path

from sti.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("chi-tieu/<str:code>.csv", views.data_csv, name="data_csv"),
    path(
        "chi-tieu/<str:code>/<str:kind>.png",
        views.chart_png,
        name="chart_png",
    ),
]
