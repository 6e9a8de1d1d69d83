"""Root URLs. The portal's own pages (home, worklist, system status) come first; each app's
pages sit under a Vietnamese prefix; its API router is registered in its AppConfig.ready()."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from sti.portal.api import api

urlpatterns = [
    path("", include("sti.portal.urls")),
    path("", include("sti.core.urls")),
    path("tai-khoan/", include("sti.accounts.urls")),
    path("danh-ba/", include("sti.directory.urls")),
    path("tim-kiem/", include("sti.search.urls")),
    path("thu-vien/", include("sti.library.urls")),
    path("", include("sti.library.root_urls")),  # /oai (OAI-PMH) and /sitemap.xml
    path("nhiem-vu/", include("sti.projects.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
