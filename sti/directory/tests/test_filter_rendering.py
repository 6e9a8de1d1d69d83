"""The filter sidebars render their selects through the site's fast renderer: the chosen
values stay selected and the labels follow the page's language."""

import re

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db
CHOSEN = re.compile(r'<option value="([^"]+)" selected>')  # a chosen option other than "Tất cả"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_chosen_field_stays_selected_in_the_page_language(client, field, language):
    chosen = field("401")
    with translation.override(language):
        label = chosen.label
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # what the language switch sets
    response = client.get("/danh-ba/to-chuc/", {"field": "401", "kind": "institute"})
    html = response.content.decode()
    assert response.status_code == 200
    indent = "\u2003" * (chosen.level - 1)
    assert f'<option value="401" selected>{indent}401 \u2013 {label}</option>' in html
    assert len(CHOSEN.findall(html)) == 2  # the field and the kind, nothing else
    assert '<option value="institute" selected>' in html
    assert f'<html lang="{language}">' in html


def test_chosen_admin_unit_stays_selected(client):
    from sti.core.models import AdminUnit

    unit = AdminUnit.objects.filter(version__is_current=True).order_by("code").last()
    response = client.get("/danh-ba/to-chuc/", {"admin_unit": unit.pk})
    html = response.content.decode()
    assert f'<option value="{unit.pk}" selected>{unit.name}</option>' in html
    assert CHOSEN.findall(html) == [str(unit.pk)]
