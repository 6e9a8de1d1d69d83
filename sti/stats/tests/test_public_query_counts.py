"""Query-count pins of the public statistics pages: the same at 2 and 20 organizations."""

import pytest

from sti.core.testing import assert_flat_queries
from sti.stats.tests.test_aggregation_query_counts import _more_filers

pytestmark = pytest.mark.django_db


def test_public_home(client, editor, period, forms):
    add = _more_filers(period, forms, editor, publish=True)
    assert_flat_queries(client, "/thong-ke/cong-bo/", add, at_most=6)


def test_public_year(client, editor, period, forms):
    add = _more_filers(period, forms, editor, publish=True)
    assert_flat_queries(client, "/thong-ke/cong-bo/2024/", add, at_most=3)
