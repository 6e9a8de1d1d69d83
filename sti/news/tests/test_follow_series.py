"""Following a periodical series: the "Theo dõi" button of a series page saves a follow of the
series' library collection, and a newly published issue is what that follow then finds."""

from __future__ import annotations

import pytest

from sti.alerts.choices import AlertKind
from sti.alerts.models import SavedSearch
from sti.news import services
from sti.search import services as search
from sti.search.params import query_from_params

pytestmark = pytest.mark.django_db


def test_follow_a_series_and_find_its_new_issue(
    client_for, registered, editor, series, make_issue, run_on_commit
):
    with run_on_commit():  # the series' collection exists from its first published issue
        services.publish_issue(editor, make_issue(1, pdf_text="Bản tin số 1.", summary=""))
    series.refresh_from_db()
    page = client_for(None).get(f"/tin-tuc/an-pham/{series.slug}/").content.decode()
    assert "Theo dõi" not in page  # anonymous visitors get no follow button
    client = client_for(registered)
    url = f"/tin-tuc/an-pham/{series.slug}/"
    assert "Theo dõi" in client.get(url).content.decode()
    data = {"name": "collection", "value": str(series.collection_id), "label": series.name}
    response = client.post("/thong-bao/theo-doi/", {**data, "next": url})
    assert response.status_code == 302
    follow = SavedSearch.objects.get(user=registered)
    assert follow.kind == AlertKind.FOLLOW and follow.name == series.name
    assert follow.filters == {"collection": [str(series.collection_id)]}

    with run_on_commit():
        issue = make_issue(3, pdf_text="Bản tin số 3 về cá tra giống sạch bệnh.", summary="")
        services.publish_issue(editor, issue)
    issue.refresh_from_db()
    query = query_from_params(
        {"collection": [str(series.collection_id)]}, filter_names=["collection"]
    )
    found = search.search(registered, query)
    assert str(issue.document.pk) in [hit.pk for hit in found.hits]
    assert {hit.type for hit in found.hits} == {"document"}
