from django.urls import path

from sti.stats import aggregation_views, views

app_name = "stats"
urlpatterns = [
    path("", views.my_submissions, name="my_submissions"),
    path("bao-cao/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("bao-cao/<int:pk>/excel/", views.submission_workbook, name="submission_workbook"),
    path("bao-cao/<int:pk>/tai-len/", views.submission_upload, name="submission_upload"),
    path("bao-cao/<int:pk>/nop/", views.submission_submit, name="submission_submit"),
    path("bao-cao/<int:pk>/duyet/", views.submission_review, name="submission_review"),
    path("bao-cao/<int:pk>/so-sanh/", views.version_compare, name="version_compare"),
    path("ky/", views.period_list, name="period_list"),
    path("ky/<int:year>/", views.board, name="board"),
    path("ky/<int:year>/giao-bieu/", views.period_assign, name="period_assign"),
    path("ky/<int:year>/nhac/", views.board_remind, name="board_remind"),
    path("ky/<int:year>/tong-hop/", aggregation_views.period_aggregates, name="period_aggregates"),
    path(
        "ky/<int:year>/tong-hop/bieu/<str:number>/",
        aggregation_views.aggregate_form,
        name="aggregate_form",
    ),
    path(
        "ky/<int:year>/tong-hop/excel/",
        aggregation_views.aggregates_workbook,
        name="aggregates_workbook",
    ),
    path(
        "ky/<int:year>/tong-hop/xuat.<str:fmt>",
        aggregation_views.aggregates_export,
        name="aggregates_export",
    ),
    path(
        "ky/<int:year>/tong-hop/<slug:action>/",
        aggregation_views.aggregates_action,
        name="aggregates_action",
    ),
    path("che-do/", views.regime_list, name="regime_list"),
    path("che-do/<slug:code>/", views.regime_detail, name="regime_detail"),
    path("che-do/<slug:code>/sua/", views.regime_edit, name="regime_edit"),
]
