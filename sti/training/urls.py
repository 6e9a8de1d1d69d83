from django.urls import path

from sti.training import views

app_name = "training"
urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("them/", views.course_create, name="course_create"),
    path("cua-toi/", views.my_registrations, name="my_registrations"),
    path("thong-ke/", views.statistics, name="statistics"),
    path("<int:pk>/", views.course_detail, name="course_detail"),
    path("<int:pk>/sua/", views.course_edit, name="course_edit"),
    path("<int:pk>/trang-thai/", views.course_move, name="course_move"),
    path("<int:pk>/dang-ky/", views.course_register, name="course_register"),
    path("<int:pk>/hoc-vien/", views.course_registrations, name="course_registrations"),
    path("<int:pk>/hoc-vien.<str:fmt>", views.registrations_export, name="registrations_export"),
    path("<int:pk>/diem-danh/", views.attendance, name="attendance"),
    path("<int:pk>/cap-chung-nhan/", views.certificates_issue, name="certificates_issue"),
    path("dang-ky/<int:pk>/huy/", views.registration_cancel, name="registration_cancel"),
    path(
        "huy-dang-ky/<str:token>/", views.registration_cancel_link, name="registration_cancel_link"
    ),
    path("chung-nhan/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("chung-nhan/<str:code>/pdf/", views.certificate_pdf, name="certificate_pdf"),
]
