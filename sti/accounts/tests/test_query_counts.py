"""Query-count pin of the API tokens page (the only list page of accounts)."""

import pytest

from sti.accounts.models import ApiToken
from sti.accounts.tokens import create_token
from sti.core.testing import assert_flat_queries

pytestmark = pytest.mark.django_db


def test_token_list(client_for, registered):
    def add(count):
        start = ApiToken.objects.filter(user=registered).count()
        names = [f"Khóa số {start + i}" for i in range(count)]
        for name in names:
            create_token(registered, name)
        return names

    assert_flat_queries(client_for(registered), "/tai-khoan/khoa-api/", add, at_most=3)
