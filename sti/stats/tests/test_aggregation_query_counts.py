"""Query-count pins of the aggregate pages and API: the same at 2 and 20 organizations."""

import pytest

from sti.core.testing import assert_flat_queries
from sti.directory.models import Organization
from sti.stats import aggregation, aggregation_synthetic, layout

pytestmark = pytest.mark.django_db


def _more_filers(period, forms, editor, *, publish=False):
    import random

    rng = random.Random(7)
    grids = {number: layout.build(form) for number, form in forms.items()}

    def add(count):
        start = Organization.objects.count()
        made = [
            Organization.objects.create(name=f"Viện Cần Thơ số {start + i}", kind="institute")
            for i in range(count)
        ]
        entries = [
            (org.pk, forms[n], aggregation_synthetic.form_values(grids[n], rng))
            for org in made
            for n in ("01", "02")
        ]
        aggregation_synthetic.file_accepted(period, entries)
        aggregation.rebuild(period)
        if publish:
            aggregation.publish(editor, period)
        return None

    return add


def test_period_aggregates(client_for, editor, period, forms):
    add = _more_filers(period, forms, editor)
    assert_flat_queries(client_for(editor), "/thong-ke/ky/2024/tong-hop/", add, at_most=9)
    assert_flat_queries(
        client_for(editor), "/thong-ke/ky/2024/tong-hop/", add, at_most=10, params={"theo": "field"}
    )


def test_aggregate_form(client_for, editor, period, forms):
    add = _more_filers(period, forms, editor)
    assert_flat_queries(client_for(editor), "/thong-ke/ky/2024/tong-hop/bieu/02/", add, at_most=15)


def test_api_aggregates_and_indicators(client, editor, period, forms):
    add = _more_filers(period, forms, editor, publish=True)
    assert_flat_queries(client, "/api/stats/aggregates/2024", add, at_most=4)
    assert_flat_queries(client, "/api/stats/indicators/2024?by=org_type", add, at_most=3)
    assert_flat_queries(client, "/api/stats/aggregates", add, at_most=2)
