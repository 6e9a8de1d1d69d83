"""Publications of a task (its IP filings: sti/ip/tests): editor pages, validation, audit, access by role."""

import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sti.core.models import AuditEntry
from sti.directory.models import Organization, Researcher
from sti.projects import councils, services
from sti.projects.choices import PublicationKind, TaskStatus
from sti.projects.models import Publication

PUBLICATION = {
    "kind": PublicationKind.DOMESTIC,
    "title": "Đánh giá khả năng chịu mặn của các dòng lúa thơm",
    "authors": "Nguyễn Văn Đức; Trần Thị Hồng",
    "venue": "Tạp chí Khoa học Đại học Cần Thơ",
    "issn": "1859-2333",
    "year": "2024",
    "doi": "10.22144/ctu.jvn.2024.015",
}


@pytest.fixture
def draft(make_task):
    return make_task(status=TaskStatus.PROPOSED)


@pytest.fixture
def coauthor(db):
    other = Organization.objects.create(name="Trường Đại học Nam Cần Thơ", kind="university")
    return Researcher.objects.create(
        full_name="Phạm Đồng Tác Giả",
        organization=other,
        is_expert=True,
        is_public=True,
        expertise="giống lúa",
    )


def _pub(**changes):
    data = dict(PUBLICATION)
    data.update(changes)
    return data


def test_editor_adds_edits_and_removes_a_publication_through_pages(
    client_for, editor, make_task, coauthor
):
    task = make_task(status=TaskStatus.ACCEPTED)
    c = client_for(editor)
    assert c.get(f"/nhiem-vu/{task.pk}/cong-bo/them/").status_code == 200
    response = c.post(
        f"/nhiem-vu/{task.pk}/cong-bo/them/",
        _pub(
            researchers=[coauthor.pk],
            doi="https://doi.org/10.22144/ctu.jvn.2024.015",
            title=unicodedata.normalize("NFD", PUBLICATION["title"]),
            in_scopus="on",
        ),
    )
    assert response.status_code == 302
    publication = task.publications.get()
    assert publication.title == PUBLICATION["title"]  # stored NFC
    assert publication.doi == "10.22144/ctu.jvn.2024.015"
    assert list(publication.researchers.all()) == [coauthor]
    page = c.get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert (
        "Đánh giá khả năng chịu mặn" in page and f"/nhiem-vu/cong-bo/{publication.pk}/sua/" in page
    )
    c.post(f"/nhiem-vu/cong-bo/{publication.pk}/sua/", _pub(year="2023", researchers=[coauthor.pk]))
    publication.refresh_from_db()
    assert publication.year == 2023
    assert c.get(f"/nhiem-vu/cong-bo/{publication.pk}/xoa/").status_code == 200
    assert c.post(f"/nhiem-vu/cong-bo/{publication.pk}/xoa/").status_code == 302
    assert not task.publications.exists()
    actions = list(
        AuditEntry.objects.filter(object_type="projects.publication").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == sorted(["create", "update", "delete"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"year": "1850"}, "year"),
        ({"year": "2999"}, "year"),
        ({"doi": "doi.org/abc"}, "doi"),
        ({"doi": "11.1234/x"}, "doi"),
        ({"issn": "18592333"}, "issn"),
        ({"issn": "1859-233A"}, "issn"),
    ],
)
def test_publication_form_rejects_bad_values(client_for, editor, draft, changes, field):
    response = client_for(editor).post(f"/nhiem-vu/{draft.pk}/cong-bo/them/", _pub(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not draft.publications.exists()


def test_isbn_and_issn_with_check_x_are_accepted(editor, draft):
    services.add_publication(editor, draft, {**_pub(issn="978-604-965-123-4"), "year": 2024})
    services.add_publication(editor, draft, {**_pub(issn="0000-006x", doi=""), "year": 2024})
    assert sorted(draft.publications.values_list("issn", flat=True)) == [
        "0000-006X",
        "978-604-965-123-4",
    ]


def test_service_validates_too(editor, draft):
    with pytest.raises(ValidationError):
        services.add_publication(editor, draft, {**_pub(doi="not-a-doi"), "year": 2024})


def test_host_reporter_records_results_over_the_task_life_but_not_when_cancelled(
    client_for, reporter_a, draft, make_task
):
    c = client_for(reporter_a)
    assert c.post(f"/nhiem-vu/{draft.pk}/cong-bo/them/", PUBLICATION).status_code == 302
    publication = draft.publications.get()
    assert c.post(f"/nhiem-vu/cong-bo/{publication.pk}/xoa/").status_code == 302
    # Papers and patents arrive after acceptance: the host organization still reports them,
    # though the task itself is now edited by the editors only.
    accepted = make_task(status=TaskStatus.ACCEPTED)
    assert c.post(f"/nhiem-vu/{accepted.pk}/cong-bo/them/", PUBLICATION).status_code == 302
    assert accepted.publications.count() == 1
    assert "/cong-bo/them/" in c.get(f"/nhiem-vu/{accepted.pk}/").content.decode()
    assert c.get(f"/nhiem-vu/{accepted.pk}/sua/").status_code in (403, 404)
    cancelled = make_task(status=TaskStatus.CANCELLED)
    assert c.get(f"/nhiem-vu/{cancelled.pk}/cong-bo/them/").status_code in (403, 404)


def test_other_reporter_and_anonymous_are_refused(
    client, client_for, reporter_b, editor, draft, make_task
):
    published = make_task(status=TaskStatus.ACCEPTED)
    publication = services.add_publication(editor, published, {**PUBLICATION, "year": 2024})
    c = client_for(reporter_b)
    assert (
        c.get(f"/nhiem-vu/{draft.pk}/cong-bo/them/").status_code == 404
    )  # a draft of org A is unseen
    assert c.post(f"/nhiem-vu/{published.pk}/cong-bo/them/", PUBLICATION).status_code == 403
    assert c.post(f"/nhiem-vu/cong-bo/{publication.pk}/xoa/").status_code == 403
    page = c.get(f"/nhiem-vu/{published.pk}/").content.decode()
    assert "Đánh giá khả năng chịu mặn" in page and "/sua/" not in page.split("Công bố", 1)[1]
    response = client.post(f"/nhiem-vu/cong-bo/{publication.pk}/xoa/")
    assert response.status_code == 302 and "next=" in response.url  # anonymous: sent to log in
    assert Publication.objects.filter(pk=publication.pk).exists()
    with pytest.raises(PermissionDenied):
        services.delete_publication(reporter_b, publication)


def test_coauthor_entered_through_the_page_is_a_council_conflict(
    client_for, editor, make_task, coauthor
):
    task = make_task(status=TaskStatus.AWAITING_ACCEPTANCE, content="Lai tạo giống lúa chịu mặn.")
    assert coauthor.pk not in councils.conflicts_for(task)
    client_for(editor).post(f"/nhiem-vu/{task.pk}/cong-bo/them/", _pub(researchers=[coauthor.pk]))
    assert "đồng tác giả" in councils.conflicts_for(task)[coauthor.pk]
    slate = councils.recommend(task)
    assert coauthor.pk not in {rec.researcher.pk for rec in slate.ranked}
    assert coauthor.pk in {person.pk for person, _why in slate.excluded}


def test_expert_profile_links_to_council_history(client, coauthor, db):
    page = client.get(coauthor.get_absolute_url()).content.decode()
    assert f"/nhiem-vu/chuyen-gia/{coauthor.pk}/" in page and "Lịch sử tham gia hội đồng" in page
    coauthor.is_expert = False
    coauthor.save()
    assert (
        f"/nhiem-vu/chuyen-gia/{coauthor.pk}/"
        not in client.get(coauthor.get_absolute_url()).content.decode()
    )


def test_the_application_form_is_not_shown_to_who_cannot_submit_it(
    client_for, make_task, member_a, reporter_a, reporter_b, editor
):
    task = make_task(status=TaskStatus.REGISTERED)
    url = f"/nhiem-vu/{task.pk}/ung-dung/"
    for refused in (member_a, reporter_b):
        assert client_for(refused).get(url).status_code == 403
    for allowed in (reporter_a, editor):
        assert client_for(allowed).get(url).status_code == 200
