from django.urls import path

from sti.library import views

app_name = "library"
urlpatterns = [
    path("", views.index, name="index"),
    path("bo-suu-tap/", views.collection_list, name="collections"),
    path("bo-suu-tap/<slug:slug>/", views.collection_detail, name="collection"),
    path("duyet/tac-gia/", views.author_list, name="authors"),
    path("duyet/<str:facet>/", views.browse_facet, name="browse"),
    path("tai-lieu/moi/", views.document_create, name="document_create"),
    path("tai-lieu/<int:pk>/", views.document_detail, name="document"),
    path("tai-lieu/<int:pk>/sua/", views.document_edit, name="document_edit"),
    path("tai-lieu/<int:pk>/tep/", views.file_upload, name="file_upload"),
    path("tai-lieu/<int:pk>/rut/", views.document_withdraw, name="document_withdraw"),
    path("tai-lieu/<int:pk>/duyet/", views.review_document, name="review_document"),
    path("tai-lieu/<int:pk>/nop-lai/", views.resubmit, name="resubmit"),
    path("tai-lieu/<int:pk>/xuat/<str:fmt>/", views.document_export, name="document_export"),
    path("tep/<int:pk>/", views.file_download, name="file_download"),
    path("tep/<int:pk>/trang-thai/", views.file_status, name="file_status"),
    path("tep/<int:pk>/xac-nhan/", views.file_confirm_quality, name="file_confirm"),
    path("tep/<int:pk>/xu-ly-lai/", views.file_requeue, name="file_requeue"),
    path("trang-ocr/<int:pk>/chap-nhan/", views.ocr_page_accept, name="ocr_page_accept"),
    path("nop-tai-lieu/", views.deposit_create, name="deposit"),
    path("tai-lieu-cua-toi/", views.my_deposits, name="my_deposits"),
    path("bien-tap/cho-duyet/", views.review_queue, name="review_queue"),
    path("bien-tap/tep-can-kiem-tra/", views.flagged_files, name="flagged_files"),
    path("bien-tap/thong-ke/", views.usage_report, name="usage_report"),
    path("bien-tap/nhap/", views.batch_import, name="batch_import"),
    path("bien-tap/nhap/mau.xlsx", views.import_template, name="import_template"),
    path("bien-tap/nhap-marc/", views.marc_import, name="marc_import"),
    path("xuat/<str:fmt>/", views.export_selection, name="export"),
]
