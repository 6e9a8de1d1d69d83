"""Who may manage sources (editors and administrators) and who may read the union catalogue
(everyone), persona by persona, including a plain member of an organization."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from sti.core.testing import ANONYMOUS, LOGIN, PERSONAS, STAFF, assert_refused, persona_user
from sti.harvest import services
from sti.harvest.models import HarvestedRecord, HarvestRun, Source


@pytest.fixture
def source(db):
    return Source.objects.create(
        name="An Giang",
        base_url="http://127.0.0.1:9/oai",
        formats_offered=[{"prefix": "oai_dc", "namespace": ""}],
        schedule_hours=0,
    )


@pytest.fixture
def record(source):
    return HarvestedRecord.objects.create(
        source=source,
        identifier="oai:an-giang.example.vn:1",
        datestamp="2025-01-01T00:00:00Z",
        title="Nghiên cứu giống lúa chịu mặn",
        url="https://an-giang.example.vn/tai-lieu/1",
    )


PAGES = ["/mang-luoi/nguon/", "/mang-luoi/nguon/them/", "/mang-luoi/nguon/{pk}/"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_source_pages_are_for_editors(request, client_for, source, persona, page):
    response = client_for(persona_user(request, persona)).get(page.format(pk=source.pk))
    if persona in STAFF:
        assert response.status_code == 200
    else:
        assert_refused(response, LOGIN if persona == ANONYMOUS else 403)


@pytest.mark.parametrize("persona", ["registered", "member_a", "reporter_a", "editor"])
def test_asking_for_a_harvest(
    request, client_for, source, persona, django_capture_on_commit_callbacks
):
    from sti.core.models import TrackedJob

    user = persona_user(request, persona)
    response = client_for(user).post(f"/mang-luoi/nguon/{source.pk}/thu-thap/")
    if persona == "editor":
        assert response.status_code == 302
        assert TrackedJob.objects.filter(kind=f"harvest.source.{source.pk}").exists()
    else:
        assert response.status_code == 403
        assert not TrackedJob.objects.exists()


@pytest.mark.parametrize("persona", ["registered", "member_a"])
def test_services_refuse_non_editors(request, source, persona):
    user = persona_user(request, persona)
    with pytest.raises(PermissionDenied):
        services.request_harvest(user, source)
    with pytest.raises(PermissionDenied):
        services.update_source(user, source, {"schedule_hours": 1})
    with pytest.raises(PermissionDenied):
        services.discover_source(user, "http://127.0.0.1:9/oai")


@pytest.mark.parametrize("persona", ["registered", "member_a", "editor"])
def test_sources_and_runs_are_visible_to_editors_only(request, source, persona):
    user = persona_user(request, persona)
    HarvestRun.objects.create(source=source, mode="full")
    expected = 1 if persona == "editor" else 0
    assert Source.objects.visible_to(user).count() == expected
    assert HarvestRun.objects.visible_to(user).count() == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_harvested_records_are_public(request, client_for, record, persona):
    response = client_for(persona_user(request, persona)).get(record.get_absolute_url())
    assert response.status_code == 200
    assert record.identifier in response.content.decode()


def test_an_editor_changes_settings_audited(client_for, editor, source):
    from sti.core.models import AuditEntry

    response = client_for(editor).post(
        f"/mang-luoi/nguon/{source.pk}/",
        {
            "name": "An Giang (mới)",
            "metadata_prefix": "oai_dc",
            "schedule_hours": 6,
            "delay_seconds": 2,
            "active": "on",
        },
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.name, source.schedule_hours, source.delay_seconds) == ("An Giang (mới)", 6, 2)
    assert AuditEntry.objects.filter(object_id=str(source.pk)).exists()


def test_periodic_work_queues_due_sources_only(source, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from sti.core.models import TrackedJob

    Source.objects.filter(pk=source.pk).update(schedule_hours=24)
    other = Source.objects.create(
        name="Sóc Trăng",
        base_url="http://127.0.0.1:9/soc-trang/oai",
        schedule_hours=24,
        last_attempt_at=timezone.now(),
    )
    assert services.harvest_due() == 1
    kinds = set(TrackedJob.objects.values_list("kind", flat=True))
    assert kinds == {f"harvest.source.{source.pk}"} and other.pk
    assert services.harvest_due() == 0  # already queued
