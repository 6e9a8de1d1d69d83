"""Root URLs. The portal's own pages (home, worklist, system status) come first; each app
mounts its pages under a Vietnamese prefix and its API router from its AppConfig.ready()
(`sti.core.registries.register_urls`, `register_api_router`): adding an app edits nothing
here."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from sti.core.registries import app_urls
from sti.portal.api import api

urlpatterns = [
    path("", include("sti.portal.urls")),
    path("", include("sti.core.urls")),
    path("tai-khoan/", include("sti.accounts.urls")),
    *(path(prefix, include(urlconf)) for prefix, urlconf in app_urls()),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
handler404 = "sti.portal.views.page_not_found"
handler403 = "sti.portal.views.permission_denied"
handler500 = "sti.portal.views.server_error"

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
