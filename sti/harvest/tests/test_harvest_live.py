"""Harvesting a second running instance over HTTP on loopback: full, incremental with changes
and deletions, interrupted and resumed, malformed records, transient errors, failures."""

from __future__ import annotations

import pytest
import requests
from django.utils import timezone

from sti.harvest import client, jobs
from sti.harvest.choices import HarvestMode, RunOutcome
from sti.harvest.models import HarvestedRecord, HarvestRun, PartnerRecord, Source

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
N = 2500  # a few thousand records, 50 pages of 50


def harvested_identifiers(source) -> list[str]:
    return list(HarvestedRecord.objects.filter(source=source).values_list("identifier", flat=True))


def test_full_then_incremental_harvest_yields_each_record_once_then_exactly_the_changes(
    partner, register
):
    partner(N)
    source = register()
    run = jobs.harvest(source)
    assert (run.outcome, run.mode, run.pages) == (RunOutcome.SUCCEEDED, HarvestMode.FULL, 50)
    assert (run.seen, run.added, run.updated, run.deleted, run.errors) == (N, N, 0, 0, 0)
    identifiers = harvested_identifiers(source)
    assert len(identifiers) == len(set(identifiers)) == N

    # On the partner: 30 records changed, 20 deleted, 10 new, all stamped now.
    now = timezone.now()
    rows = list(PartnerRecord.objects.order_by("pk"))
    for row in rows[100:130]:
        row.metadata["title"] = [row.metadata["title"][0] + " (bản sửa)"]
        row.datestamp = now
        row.save()
    PartnerRecord.objects.filter(pk__in=[r.pk for r in rows[500:520]]).update(
        deleted=True, datestamp=now
    )
    extra = PartnerRecord.objects.bulk_create(partner_records_from(N, 10, start=now))
    source.refresh_from_db()
    run = jobs.harvest(source)
    assert run.mode == HarvestMode.INCREMENTAL and run.harvest_from
    assert (run.seen, run.added, run.updated, run.deleted, run.errors) == (60, 10, 30, 20, 0)
    live = {
        f"oai:an-giang.example.vn:{r.local_id}" for r in PartnerRecord.objects.filter(deleted=False)
    }
    assert set(harvested_identifiers(source)) == live and len(live) == N - 20 + len(extra)
    changed = HarvestedRecord.objects.get(
        identifier=f"oai:an-giang.example.vn:{rows[100].local_id}"
    )
    assert changed.title.endswith("(bản sửa)")

    # Nothing changed since: the next incremental harvest changes nothing. (`from` is
    # inclusive in OAI-PMH: records stamped in the second the last harvest began may be
    # listed again, and are seen unchanged.)
    source.refresh_from_db()
    run = jobs.harvest(source)
    assert (run.added, run.updated, run.deleted) == (0, 0, 0)
    assert run.seen <= 60


def partner_records_from(offset, n, *, start):
    from sti.harvest.sample import partner_records

    rows = partner_records("an-giang", offset + n, start=start, step=0)[offset:]
    return rows


class Interrupted(Exception):
    pass


def test_interrupted_harvest_resumes_where_it_stopped_without_duplicates(
    partner, register, monkeypatch
):
    partner(N)
    source = register()
    fetched = []
    real_list_page = client.list_page

    def counting(sickle, params, **kwargs):
        fetched.append(dict(params))
        return real_list_page(sickle, params, **kwargs)

    def stop_after_seven(source, run):
        if run.pages == 7:
            raise Interrupted

    monkeypatch.setattr(client, "list_page", counting)
    monkeypatch.setattr(jobs, "after_page", stop_after_seven)
    with pytest.raises(Interrupted):
        jobs.harvest(source)
    source.refresh_from_db()
    assert source.resume_state["token"] and source.failing_since is not None
    assert HarvestedRecord.objects.filter(source=source).count() == 350

    monkeypatch.setattr(jobs, "after_page", None)
    fetched.clear()
    run = jobs.harvest(source)
    # Resumed at page 8 with the stored token: 43 requests, not 50.
    assert len(fetched) == 43 and "resumptionToken" in fetched[0]
    assert HarvestRun.objects.filter(source=source).count() == 1
    assert (run.outcome, run.pages, run.added, run.seen) == (RunOutcome.SUCCEEDED, 50, N, N)
    identifiers = harvested_identifiers(source)
    assert len(identifiers) == len(set(identifiers)) == N
    source.refresh_from_db()
    assert source.resume_state == {} and source.failing_since is None


def test_malformed_records_are_reported_one_by_one_and_the_run_goes_on(partner, register):
    rows = partner(120)
    broken = rows[10], rows[75]
    for row in broken:
        row.metadata = {"creator": ["Không Có Nhan Đề"]}
        row.save()
    source = register()
    run = jobs.harvest(source)
    assert run.outcome == RunOutcome.SUCCEEDED
    assert (run.seen, run.added, run.errors) == (118, 118, 2)
    assert sorted(p["identifier"] for p in run.problems) == sorted(
        f"oai:an-giang.example.vn:{row.local_id}" for row in broken
    )
    assert all("nhan đề" in p["error"] for p in run.problems)


def test_transient_http_errors_are_retried_with_back_off(partner, register, monkeypatch):
    partner(120)
    source = register()
    Sickle = client.PinnedSickle  # noqa: N806 — the client every harvest request goes through

    real = Sickle._request
    failures = {"left": 3}

    def flaky(self, kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise requests.ConnectionError("connection reset by peer")
        return real(self, kwargs)

    waits = []
    monkeypatch.setattr(Sickle, "_request", flaky)
    monkeypatch.setattr(client.time, "sleep", waits.append)
    run = jobs.harvest(source)
    assert (run.outcome, run.added, run.retries) == (RunOutcome.SUCCEEDED, 120, 3)
    assert waits == [0.01, 0.02, 0.04]  # doubling pauses


def test_a_partner_that_stays_down_fails_the_run_and_the_source(partner, register, settings):
    partner(10)
    source = register()
    Source.objects.filter(pk=source.pk).update(base_url="http://127.0.0.1:9/oai")
    source.refresh_from_db()
    settings.STI_HARVEST_RETRIES = 1
    with pytest.raises(client.HarvestError):
        jobs.harvest(source)
    source.refresh_from_db()
    run = source.runs.get()
    assert run.outcome == RunOutcome.FAILED and "ConnectionError" in run.error
    assert source.failing_since is not None and source.last_success_at is None


def test_a_tracked_job_harvests_with_progress(partner, register, editor):
    from sti.core.choices import JobState
    from sti.harvest import services

    partner(120)
    source = register()
    job = services.request_harvest(editor, source)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == 120
    assert "120 bản ghi: 120 mới" in job.message
    assert source.runs.get().job_id == job.pk


def test_an_expired_token_restarts_the_list_without_duplicates(partner, register, monkeypatch):
    partner(300)
    source = register()

    def stop_after_two(source, run):
        if run.pages == 2:
            raise Interrupted

    monkeypatch.setattr(jobs, "after_page", stop_after_two)
    with pytest.raises(Interrupted):
        jobs.harvest(source)
    monkeypatch.setattr(jobs, "after_page", None)
    source.refresh_from_db()
    state = {**source.resume_state, "token": "het-han"}  # the partner forgot it
    Source.objects.filter(pk=source.pk).update(resume_state=state)
    source.refresh_from_db()
    run = jobs.harvest(source)
    assert run.outcome == RunOutcome.SUCCEEDED and run.added == 300
    identifiers = harvested_identifiers(source)
    assert len(identifiers) == len(set(identifiers)) == 300


def test_incremental_from_follows_the_source_granularity(db):
    source = Source(harvested_until="2026-11-29T10:11:12Z", granularity="YYYY-MM-DD")
    assert jobs._incremental_from(source) == "2026-11-29"
    source.granularity = "YYYY-MM-DDThh:mm:ssZ"
    assert jobs._incremental_from(source) == "2026-11-29T10:11:12Z"


def test_politeness_pause_and_user_agent(partner, register, monkeypatch, settings):
    Sickle = client.PinnedSickle  # noqa: N806 — the client every harvest request goes through

    partner(120)  # three pages
    source = register(delay_seconds=0.5)
    agents, pauses = [], []
    real = Sickle._request

    def recording(self, kwargs):
        agents.append(self.request_args["headers"]["User-Agent"])
        return real(self, kwargs)

    monkeypatch.setattr(Sickle, "_request", recording)
    monkeypatch.setattr(jobs.time, "sleep", pauses.append)
    jobs.harvest(source)
    assert pauses == [0.5, 0.5]
    assert agents == [settings.STI_HARVEST_USER_AGENT] * 3
    assert "sti.cantho.gov.vn" in settings.STI_HARVEST_USER_AGENT
