"""The news app's pages, mounted under /tin-tuc/ by `NewsConfig.ready()`."""

from django.urls import path

from sti.news import feeds, views

app_name = "news"
urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("rss/", feeds.ArticleRss(), name="feed_rss"),
    path("atom/", feeds.ArticleAtom(), name="feed_atom"),
    path("xuat/<str:fmt>/", views.article_export, name="article_export"),
    path("viet-bai/", views.article_create, name="article_create"),
    path("bai/<int:pk>/", views.article_detail, name="article_detail"),
    path("bai/<int:pk>/sua/", views.article_edit, name="article_edit"),
    path("bai/<int:pk>/trang-thai/", views.article_move, name="article_move"),
    path("bai/<int:pk>/anh/", views.article_image, name="article_image"),
    path("bai/<int:pk>/video/", views.article_video, name="article_video"),
    path("chuyen-muc/", views.category_list, name="category_list"),
    path("chuyen-muc/them/", views.category_create, name="category_create"),
    path("chuyen-muc/<int:pk>/sua/", views.category_edit, name="category_edit"),
    path("chuyen-muc/<slug:slug>/rss/", feeds.CategoryRss(), name="category_rss"),
    path("chuyen-muc/<slug:slug>/atom/", feeds.CategoryAtom(), name="category_atom"),
    path("an-pham/", views.series_list, name="series_list"),
    path("an-pham/so-moi/", views.issue_create, name="issue_create"),
    path("an-pham/tuyen-chon/", views.issue_assemble, name="issue_assemble"),
    path("an-pham/so/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("an-pham/so/<int:pk>/sua/", views.issue_edit, name="issue_edit"),
    path("an-pham/so/<int:pk>/tao-tep/", views.issue_build, name="issue_build"),
    path("an-pham/so/<int:pk>/phat-hanh/", views.issue_publish, name="issue_publish"),
    path("an-pham/so/<int:pk>/go-phat-hanh/", views.issue_unpublish, name="issue_unpublish"),
    path("an-pham/so/<int:pk>/tep.<str:kind>", views.issue_file, name="issue_file"),
    path("an-pham/<slug:slug>/", views.series_detail, name="series_detail"),
    path("an-pham/<slug:slug>/rss/", feeds.SeriesRss(), name="series_rss"),
    path("an-pham/<slug:slug>/atom/", feeds.SeriesAtom(), name="series_atom"),
]
