"""Fixtures of the harvester's tests: partner repositories served by the platform itself on
loopback (pytest-django's live server, a second running instance over real HTTP), and sources
registered on them through the services."""

from __future__ import annotations

import pytest

from sti.harvest.sample import partner_records


@pytest.fixture
def fast_harvest(settings):
    """No politeness pauses and quick back-off in tests; pages of 50 at the partner, which
    the live server serves on loopback (allowed by name, as `sti demo` does)."""
    settings.STI_HARVEST_PRIVATE_HOSTS = ["localhost", "127.0.0.1"]
    settings.STI_HARVEST_DELAY_SECONDS = 0
    settings.STI_HARVEST_BACKOFF_SECONDS = 0.01
    settings.STI_HARVEST_PARTNER_PAGE_SIZE = 50
    return settings


@pytest.fixture
def partner(db):
    """`partner(n, repository="an-giang")`: n records in a demo partner repository."""
    from sti.harvest.models import PartnerRecord

    def make(n, repository="an-giang", **kwargs):
        return PartnerRecord.objects.bulk_create(partner_records(repository, n, **kwargs))

    return make


@pytest.fixture
def register(live_server, editor, fast_harvest):
    """`register(repository)`: a source on the live server's partner endpoint, registered by
    the editor through discovery (Identify, ListMetadataFormats, ListSets)."""
    from sti.harvest import services

    def make(repository="an-giang", **data):
        url = f"{live_server.url}/mang-luoi/doi-tac/{repository}/oai"
        values = {"name": repository, "metadata_prefix": "oai_dc", "sets": [], "delay_seconds": 0}
        return services.register_source(editor, url, {**values, **data})

    return make
