"""A reporter of organization A cannot see or change organization B's submission, nor can a
plain member of A see A's; editors may. Pages, API and the Excel download."""

import json

import pytest

from sti.accounts.tokens import create_token
from sti.core.testing import EVERYONE, persona_user
from sti.stats import services
from sti.stats.models import Submission, SubmissionValue, SubmissionVersion
from sti.stats.tests.conftest import personnel_values

pytestmark = pytest.mark.django_db

SEES_A = {"reporter_a", "editor", "admin_user"}


@pytest.fixture
def filed(sub_a, reporter_a):
    services.save_values(reporter_a, sub_a, personnel_values())
    services.submit_submission(reporter_a, sub_a)
    return sub_a


@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_visible_to_matches_the_rule(request, persona, filed):
    user = persona_user(request, persona)
    seen = Submission.objects.visible_to(user).filter(pk=filed.pk).exists()
    assert seen == (persona in SEES_A)
    assert SubmissionVersion.objects.visible_to(user).filter(submission=filed).exists() == seen
    assert (
        SubmissionValue.objects.visible_to(user).filter(version__submission=filed).exists() == seen
    )


@pytest.mark.parametrize("persona", sorted(EVERYONE))
@pytest.mark.parametrize("suffix", ["", "excel/", "so-sanh/?a=1", "tai-len/"])
def test_pages(request, client_for, persona, suffix, filed):
    response = client_for(persona_user(request, persona)).get(
        f"/thong-ke/bao-cao/{filed.pk}/{suffix}"
    )
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona in SEES_A:
        # the upload page of a submitted report is refused (nothing to change)
        assert response.status_code == (403 if suffix == "tai-len/" else 200)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", ["reporter_b", "member_a", "registered", "expert_user"])
def test_others_cannot_change_it(request, client_for, persona, sub_a, reporter_a):
    services.save_values(reporter_a, sub_a, personnel_values())
    client = client_for(persona_user(request, persona))
    response = client.post(sub_a.get_absolute_url(), {"c:02.01": "999"})
    assert response.status_code == 404
    assert client.post(f"/thong-ke/bao-cao/{sub_a.pk}/nop/").status_code == 404
    assert client.post(f"/thong-ke/bao-cao/{sub_a.pk}/duyet/", {"accept": "1"}).status_code == 404
    sub_a.refresh_from_db()
    assert sub_a.values == personnel_values()
    assert sub_a.status == "draft"


@pytest.mark.parametrize("persona", ["reporter_b", "member_a"])
def test_api_refuses_others(request, client, persona, sub_a, reporter_a):
    user = persona_user(request, persona)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'x')}"}
    assert client.get(f"/api/stats/submissions/{sub_a.pk}", **headers).status_code == 404
    listed = client.get("/api/stats/submissions", **headers).json()
    assert sub_a.pk not in [row["id"] for row in listed]
    response = client.put(
        f"/api/stats/submissions/{sub_a.pk}/values",
        json.dumps({"values": personnel_values()}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    sub_a.refresh_from_db()
    assert sub_a.values == {}


def test_api_editor_allowed(client, sub_a, editor):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(editor, 'x')}"}
    response = client.get(f"/api/stats/submissions/{sub_a.pk}", **headers)
    assert response.status_code == 200
    assert response.json()["form"] == "02/KHCN-NL"


def test_api_write_needs_a_token(client, sub_a):
    response = client.put(
        f"/api/stats/submissions/{sub_a.pk}/values",
        json.dumps({"values": {}}),
        content_type="application/json",
    )
    assert response.status_code == 401


@pytest.mark.parametrize("persona", sorted(EVERYONE))
@pytest.mark.parametrize(
    "url",
    [
        "/thong-ke/ky/",
        "/thong-ke/ky/2024/",
        "/thong-ke/che-do/",
        "/thong-ke/che-do/tt15-2018/",
        "/thong-ke/che-do/tt15-2018/sua/",
    ],
)
def test_editor_pages(request, client_for, persona, url, submissions):
    response = client_for(persona_user(request, persona)).get(url)
    if persona in ("editor", "admin_user"):
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


def test_board_remind_refused_for_reporters(client_for, reporter_a, submissions, mailoutbox):
    response = client_for(reporter_a).post("/thong-ke/ky/2024/nhac/")
    assert response.status_code == 403
    assert mailoutbox == []
