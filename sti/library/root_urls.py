"""URLs the library serves at the site root: the OAI-PMH endpoint and the sitemap."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from sti.library.oai import oai_view
from sti.library.sitemaps import SITEMAPS

urlpatterns = [
    path("oai", oai_view, name="oai"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
