"""Query pins of the thesaurus pages: flat in the number of rows shown."""

import pytest

from sti.core.testing import assert_flat_queries
from sti.thesaurus.models import Concept, Term

pytestmark = pytest.mark.django_db


def test_list_page_is_flat(client_for, editor):
    made = []

    def add(n):
        rows = []
        for _ in range(n):
            label = f"khái niệm thử {len(made)}"
            concept = Concept.objects.create(label=label)
            Term.objects.create(concept=concept, text=f"từ khác {len(made)}", relation="synonym")
            made.append(label)
            rows.append(label)
        return rows

    assert_flat_queries(
        client_for(editor), "/tu-dien-dong-nghia/", add, at_most=7, params={"q": "khai niem thu"}
    )


def test_detail_page_is_flat(client_for, editor):
    concept = Concept.objects.create(label="khái niệm chi tiết")

    def add(n):
        start = concept.terms.count()
        texts = [f"thuật ngữ {start + i}" for i in range(n)]
        for text in texts:
            Term.objects.create(concept=concept, text=text, relation="synonym")
        return texts

    assert_flat_queries(client_for(editor), concept.get_absolute_url(), add, at_most=6)
