from django.urls import path

from sti.directory import views

app_name = "directory"
urlpatterns = [
    path("to-chuc/", views.organization_list, name="organization_list"),
    path("to-chuc/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("nha-khoa-hoc/", views.researcher_list, name="researcher_list"),
    path("nha-khoa-hoc/<int:pk>/", views.researcher_detail, name="researcher_detail"),
]
