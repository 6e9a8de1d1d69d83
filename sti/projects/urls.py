from django.urls import path

from sti.projects.views import catalogues, councils, exchange, manage, proposals, public, results

app_name = "projects"
urlpatterns = [
    path("", public.index, name="index"),
    path("<int:pk>/", public.task_detail, name="task_detail"),
    path("them/", manage.task_create, name="task_create"),
    path("<int:pk>/sua/", manage.task_edit, name="task_edit"),
    path("<int:pk>/chuyen-trang-thai/", manage.task_transition, name="task_transition"),
    path("<int:pk>/kiem-tra-tien-do/", manage.progress_check, name="progress_check"),
    path("<int:pk>/nghiem-thu/", manage.acceptance, name="acceptance"),
    path("<int:pk>/dang-ky-ket-qua/", manage.registration, name="registration"),
    path("<int:pk>/ung-dung/", manage.application_add, name="application_add"),
    path("<int:pk>/cong-bo/them/", results.publication_add, name="publication_add"),
    path("cong-bo/<int:pk>/sua/", results.publication_edit, name="publication_edit"),
    path("cong-bo/<int:pk>/xoa/", results.publication_delete, name="publication_delete"),
    path("<int:pk>/hoi-dong/", councils.council_recommend, name="council_recommend"),
    path("<int:pk>/xung-dot/", councils.conflict_mark, name="conflict_mark"),
    path("hoi-dong/<int:pk>/", councils.council_detail, name="council_detail"),
    path("danh-gia/<int:member_id>/", councils.evaluation_record, name="evaluation_record"),
    path("chuyen-gia/<int:researcher_id>/", public.expert_history, name="expert_history"),
    path("dang-ky-ket-qua/", manage.registration_board, name="registration_board"),
    path("de-xuat/", proposals.proposal_list, name="proposal_list"),
    path("de-xuat/them/", proposals.proposal_create, name="proposal_create"),
    path("de-xuat/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("de-xuat/<int:pk>/sua/", proposals.proposal_edit, name="proposal_edit"),
    path("de-xuat/<int:pk>/nop/", proposals.proposal_submit, name="proposal_submit"),
    path("de-xuat/<int:pk>/tra-cuu/", proposals.proposal_check, name="proposal_check"),
    path(
        "de-xuat/<int:pk>/trang-thai-tra-cuu/",
        proposals.proposal_check_status,
        name="proposal_check_status",
    ),
    path("de-xuat/<int:pk>/xu-ly/", proposals.proposal_review, name="proposal_review"),
    path("an-pham/", catalogues.catalogue_list, name="catalogue_list"),
    path("an-pham/<int:pk>/trang-thai/", catalogues.catalogue_status, name="catalogue_status"),
    path(
        "an-pham/<int:pk>/tai-ve.<str:fmt>",
        catalogues.catalogue_download,
        name="catalogue_download",
    ),
    path("nhap/", exchange.import_tasks, name="import"),
    path("nhap/mau.xlsx", exchange.import_template, name="import_template"),
    path("xuat.<str:fmt>", exchange.export_public, name="export_public"),
    path("xuat/mau-<int:form_number>.<str:fmt>", exchange.export_form, name="export_form"),
]
