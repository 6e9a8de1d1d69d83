"""The registries the apps fill in their AppConfig.ready(): loud on mistakes."""

import pytest
from django.db.models.signals import post_save

from sti.core import registries


def test_a_router_that_does_not_import_stops_the_start_up():
    with pytest.raises(ImportError):
        registries.register_api_router("/nowhere/", "sti.nowhere.api.router")
    assert "/nowhere/" not in dict(registries.api_routers())


def test_a_sample_loader_that_does_not_import_stops_the_start_up():
    with pytest.raises(ImportError):
        registries.register_sample_data("nowhere", load="sti.nowhere.sample.load_sample")


def test_a_key_registered_twice_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        registries.register_api_router("/library/", "sti.library.api.router")
    with pytest.raises(ValueError, match="registered twice"):
        registries.register_work_queue(
            "library.deposits", "x", lambda user: None, "library:review_queue"
        )


def test_unknown_menu_is_refused():
    with pytest.raises(ValueError, match="unknown menu"):
        registries.register_menu_entry("sidebar", "x", "portal:home")


def test_every_installed_app_contributed():
    assert [prefix for prefix, _ in registries.api_routers()] == [
        "/directory/",
        "/search/",
        "/library/",
        "/projects/",
        "/training/",
        "/news/",
        "/servicedesk/",
        "/ip/",
        "/market/",
        "/stats/",
        "/analytics/",
    ]
    assert [sample.app_label for sample in registries.sample_data()] == [
        "accounts",
        "directory",
        "library",
        "projects",
        "training",
        "news",
        "servicedesk",
        "ip",
        "market",
        "harvest",
        "stats",
    ]
    assert {queue.key for queue in registries.work_queues()} >= {
        "library.deposits",
        "projects.flagged_proposals",
        "projects.registrations_overdue",
        "servicedesk.unassigned",
        "servicedesk.overdue",
    }


def test_search_signals_are_connected_for_every_registered_type():
    from sti.search.registry import all_specs

    for spec in all_specs():
        uid = f"sti-search-{spec.type}-{spec.model._meta.label}-save"
        assert any(key[0] == uid for key, *_ in post_save.receivers), spec.type
