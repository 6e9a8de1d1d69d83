"""An S&T field code is never shown bare: pages, facets and filters say "code – name"."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def fisheries_org(org_a, run_on_commit, search_index):
    from sti.core.models import FieldOfScience

    with run_on_commit():
        org_a.fields.set([FieldOfScience.objects.current().get(code="405")])
        org_a.save()
    return org_a


def test_field_name_filter_takes_objects_and_codes():
    from django.utils import translation

    from sti.core.models import FieldOfScience
    from sti.core.templatetags.core_tags import field_name

    assert field_name("401") == "401 – Trồng trọt"
    assert field_name(FieldOfScience.objects.current().get(code="4")) == "4 – Khoa học nông nghiệp"
    assert field_name("99999") == "99999"  # an unknown code stays as it is
    with translation.override("en"):
        assert field_name("4") == "4 – Agricultural sciences"


def test_list_and_detail_pages_name_the_field(client, fisheries_org):
    for url in (
        reverse("directory:organization_list"),
        reverse("directory:organization_detail", args=[fisheries_org.pk]),
    ):
        html = client.get(url).content.decode()
        assert "405 – Thủy sản" in html, url
        assert ">405<" not in html, url


def test_filter_select_names_the_field(client):
    html = client.get(reverse("projects:index")).content.decode()
    assert "405 – Thủy sản</option>" in html


def test_search_facets_name_the_field(client, fisheries_org):
    response = client.get(reverse("search:search"), {"field": "405"})
    facets = {group["name"]: group["values"] for group in response.context["facet_groups"]}
    labels = {value.value: value.label for value in facets["field"]}
    assert labels["405"] == "405 – Thủy sản"
    assert labels["4"] == "4 – Khoa học nông nghiệp"
    active = [item["label"] for item in response.context["active_filters"]]
    assert active == ["405 – Thủy sản"]
