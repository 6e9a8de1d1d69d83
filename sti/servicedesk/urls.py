from django.urls import path

from sti.servicedesk import views

app_name = "servicedesk"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("gui/", views.request_create, name="request_create"),
    path("da-gui/", views.request_submitted, name="request_submitted"),
    path("xuat.<str:fmt>", views.request_export, name="request_export"),
    path("thong-ke/", views.statistics, name="statistics"),
    path("thong-ke/xuat.<str:fmt>", views.statistics_export, name="statistics_export"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/phan-cong/", views.assign, name="request_assign"),
    path("<int:pk>/trang-thai/", views.move, name="request_move"),
    path("<int:pk>/ghi-chu/", views.add_note, name="request_note"),
    path("<int:pk>/tra-loi/", views.answer, name="request_answer"),
    path("<int:pk>/lien-ket/", views.add_link, name="request_link"),
    path("<int:pk>/lien-ket/<int:link_id>/xoa/", views.remove_link, name="request_unlink"),
    path("<int:pk>/trao-doi/", views.post_message, name="request_message"),
    path("<int:pk>/danh-gia/", views.rate, name="request_rate"),
    path("<int:pk>/nguoi-yeu-cau/", views.requester_move, name="request_requester_move"),
    path("<int:pk>/tep/<int:attachment_id>/", views.attachment_download, name="request_file"),
    # The private tracking link (no account needed): the id and an HMAC.
    path("theo-doi/<str:token>/", views.tracking, name="tracking"),
    path("theo-doi/<str:token>/trao-doi/", views.post_message, name="tracking_message"),
    path("theo-doi/<str:token>/danh-gia/", views.rate, name="tracking_rate"),
    path("theo-doi/<str:token>/nguoi-yeu-cau/", views.requester_move, name="tracking_move"),
    path(
        "theo-doi/<str:token>/tep/<int:attachment_id>/",
        views.attachment_download,
        name="tracking_file",
    ),
]
