"""Query-count pin of the page core serves: the audit log."""

import pytest

from sti.core import audit
from sti.core.testing import assert_flat_queries

pytestmark = pytest.mark.django_db


def test_audit_log(client_for, editor, org_a):
    def add(count):
        notes = [f"Ghi chú số {i}: đổi địa chỉ" for i in range(count)]
        for note in notes:
            audit.record(editor, "update", org_a, {"address": ["", "Ninh Kiều"]}, note)
        return notes

    assert_flat_queries(client_for(editor), "/nhat-ky/", add, at_most=5)
