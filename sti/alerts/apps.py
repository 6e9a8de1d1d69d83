from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def _organization_names(values: list[str]) -> dict[str, str]:
    from sti.core.validators import as_pk
    from sti.directory.models import Organization

    ids = [pk for pk in (as_pk(value) for value in values) if pk is not None]
    return {
        str(pk): name
        for pk, name in Organization.objects.filter(pk__in=ids).values_list("pk", "name")
    }


def _collection_names(values: list[str]) -> dict[str, str]:
    from sti.core.validators import as_pk
    from sti.library.models import Collection

    ids = [pk for pk in (as_pk(value) for value in values) if pk is not None]
    return {
        str(pk): name
        for pk, name in Collection.objects.filter(pk__in=ids).values_list("pk", "name")
    }


class AlertsConfig(AppConfig):
    name = "sti.alerts"
    verbose_name = _("Thông báo tin mới (phổ biến thông tin chọn lọc)")

    def ready(self) -> None:
        from sti.core import registries as r
        from sti.search.registry import ORGANIZATION_TAG, register_filter

        r.register_urls("thong-bao/", "sti.alerts.urls")
        r.register_menu_entry(r.USER_MENU, _("Thông báo của tôi"), "alerts:index", order=20)
        # Follows of an organization open on the search page filtered by it.
        register_filter(ORGANIZATION_TAG, _("Tổ chức"), _organization_names)
        # Follows of a library collection or of a periodical series (whose issues are
        # documents of its collection) open on the search page filtered by it.
        register_filter("collection", _("Bộ sưu tập"), _collection_names)
        r.register_periodic(
            "alerts.digests",
            "sti.alerts.services.schedule_digests",
            every_seconds=settings.STI_ALERTS_CHECK_SECONDS,
        )
