"""`sti check` (and every start of the server) reverses the URL of every registered menu entry,
home figure and worklist queue, so a misspelt URL name fails at start-up, not on a page."""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.urls import NoReverseMatch, reverse

from sti.core import registries


@register(Tags.urls)
def registered_urls_resolve(app_configs=None, **kwargs) -> list[Error]:
    entries = [
        *(
            ("menu entry", entry.label, entry.url_name)
            for menu in registries.MENUS
            for entry in registries.menu_entries(menu)
        ),
        *(("home figure", figure.key, figure.url_name) for figure in registries.home_figures()),
        *(("worklist queue", queue.key, queue.url_name) for queue in registries.work_queues()),
    ]
    errors = []
    for what, name, url_name in entries:
        try:
            reverse(url_name)
        except NoReverseMatch:
            errors.append(
                Error(
                    f"The {what} {name!s} names the URL {url_name!r}, which does not exist.",
                    id="portal.E001",
                )
            )
    return errors
