from django.urls import path

from sti.alerts import feeds, views

app_name = "alerts"
urlpatterns = [
    path("", views.index, name="index"),
    path("luu/", views.save, name="save"),
    path("theo-doi/", views.follow, name="follow"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/xoa/", views.delete, name="delete"),
    path("nguon-tin/doi-ma/", views.renew_feed_token, name="renew_feed_token"),
    path("huy/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("nguon-tin/<str:token>/<int:pk>/rss/", feeds.RssFeed(), name="feed_rss"),
    path("nguon-tin/<str:token>/<int:pk>/atom/", feeds.AtomFeed(), name="feed_atom"),
]
