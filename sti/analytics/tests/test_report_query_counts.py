"""Query-count pins of the report generator's pages: the list of drafts and one draft (its
narrative versions and builds must not add queries per row)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sti.analytics.reports import services
from sti.analytics.reports.models import ReportBuild
from sti.analytics.tests.test_reports import records, test_indicators  # noqa: F401 — fixtures
from sti.core.testing import assert_flat_queries

pytestmark = pytest.mark.django_db


def test_draft_list_is_pinned(client, editor, records):  # noqa: F811
    client.force_login(editor)

    def add(n):
        drafts = [services.create_draft(editor, "kiem-thu", 2017, 2019) for _ in range(n)]
        return [reverse("analytics_reports:draft", args=[d.pk]) for d in drafts]

    assert_flat_queries(client, reverse("analytics_reports:list"), add, at_most=6)


def test_draft_page_is_pinned(client, editor, admin_user, records):  # noqa: F811
    client.force_login(editor)
    draft = services.create_draft(editor, "kiem-thu", 2017, 2019)
    state = {"n": 0}

    def add(n):
        from sti.core import jobs

        for _ in range(n):
            state["n"] += 1
            author = editor if state["n"] % 2 else admin_user
            text = f"Nhận định lần {state['n']} về tổ chức KH&CN"
            services.save_section(author, draft, "1", text)
            build = ReportBuild.objects.create(draft=draft, requested_by=editor)
            build.job = jobs.create("analytics.report", target=build, requested_by=editor)
            build.save(update_fields=["job"])
        # only the newest narrative is shown, so nothing added before stays on the page
        return None

    assert_flat_queries(
        client, reverse("analytics_reports:draft", args=[draft.pk]), add, at_most=16
    )
