from django.urls import path

from sti.market.views import brokerage, posting, public

app_name = "market"
urlpatterns = [
    path("", public.offer_list, name="offer_list"),
    path("nhu-cau/", public.demand_list, name="demand_list"),
    path("cong-nghe/xuat.<str:fmt>", public.offer_export, name="offer_export"),
    path("cong-nghe/<int:pk>/", public.offer_detail, name="offer_detail"),
    path("cong-nghe/<int:pk>/anh/<int:image_id>/", public.offer_image, name="offer_image"),
    path("nhu-cau/<int:pk>/", public.demand_detail, name="demand_detail"),
    path("nhu-cau/<int:pk>/tep/<int:file_id>/", public.demand_file, name="demand_file"),
    path("su-kien/", public.event_list, name="event_list"),
    path("su-kien/<int:pk>/", public.event_detail, name="event_detail"),
    path("su-kien/<int:pk>/danh-muc.pdf", public.event_catalogue, name="event_catalogue"),
    path("su-kien/<int:pk>/don-vi-trung-bay/", public.event_exhibitors, name="event_exhibitors"),
    path("danh-muc-in/<int:pk>/trang-thai/", public.catalogue_status, name="catalogue_status"),
    # Posting and following one's own
    path("cua-toi/", posting.my_postings, name="my_postings"),
    path("cong-nghe/dang/", posting.offer_create, name="offer_create"),
    path("cong-nghe/<int:pk>/sua/", posting.offer_edit, name="offer_edit"),
    path("cong-nghe/<int:pk>/trang-thai/", posting.offer_move, name="offer_move"),
    path("cong-nghe/<int:pk>/quan-tam/", posting.interest_create, name="interest_create"),
    path("quan-tam/<int:pk>/tra-loi/", posting.interest_answer, name="interest_answer"),
    path("nhu-cau/gui/", posting.demand_create, name="demand_create"),
    path("nhu-cau/<int:pk>/sua/", posting.demand_edit, name="demand_edit"),
    path("nhu-cau/<int:pk>/trang-thai/", posting.demand_move, name="demand_move"),
    path("su-kien/<int:pk>/trung-bay/", posting.exhibit_apply, name="exhibit_apply"),
    # Brokers
    path("moi-gioi/", brokerage.broker_desk, name="broker_desk"),
    path("moi-gioi/pheu/", brokerage.funnel, name="funnel"),
    path("nhu-cau/<int:pk>/de-xuat/", brokerage.proposal_add, name="proposal_add"),
    path("nhu-cau/<int:pk>/hoat-dong/", brokerage.activity_add, name="activity_add"),
    path("nhu-cau/<int:pk>/hop-dong/", brokerage.contract_add, name="contract_add"),
    path("su-kien/them/", brokerage.event_create, name="event_create"),
    path("su-kien/<int:pk>/sua/", brokerage.event_edit, name="event_edit"),
    path("trung-bay/<int:pk>/duyet/", brokerage.exhibitor_decide, name="exhibitor_decide"),
    path("su-kien/<int:pk>/danh-muc-in/", brokerage.catalogue_request, name="catalogue_request"),
]
