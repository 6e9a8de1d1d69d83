"""Tasks in the search core: public ones for everyone, drafts only for staff and the host."""

from sti.projects.choices import TaskStatus
from sti.search import services as search
from sti.search.base import SearchQuery
from sti.search.registry import get_spec


def test_public_task_found_folded_and_drafts_hidden(
    make_task, run_on_commit, org_a, org_b, reporter_a, reporter_b, editor
):
    with run_on_commit():
        make_task(
            status=TaskStatus.IN_PROGRESS,
            title="Quy trình nuôi lươn không bùn ở Thới Lai",
            host=org_b,
            contract_number="HĐ-KÍN",
        )
        make_task(status=TaskStatus.PROPOSED, title="Dự thảo nuôi lươn trong bể bạt", host=org_a)
    anonymous = search.search(None, SearchQuery(text="nuoi luon", filters={"type": ["task"]}))
    assert [hit.title for hit in anonymous.hits] == ["Quy trình nuôi lươn không bùn ở Thới Lai"]
    titles_a = {hit.title for hit in search.search(reporter_a, SearchQuery(text="lươn")).hits}
    assert "Dự thảo nuôi lươn trong bể bạt" in titles_a
    titles_b = {hit.title for hit in search.search(reporter_b, SearchQuery(text="lươn")).hits}
    assert "Dự thảo nuôi lươn trong bể bạt" not in titles_b
    assert len(search.search(editor, SearchQuery(text="lươn")).hits) == 2


def test_ongoing_document_body_has_only_article_23_fields(make_task):
    task = make_task(
        status=TaskStatus.IN_PROGRESS,
        contract_number="HĐ-KÍN",
        decision_number="QĐ-KÍN",
        abstract="Tóm tắt chưa công bố",
    )
    document = get_spec("task").document_for(task)
    assert "HĐ-KÍN" not in document.body and "QĐ-KÍN" not in document.body
    assert "Tóm tắt chưa công bố" not in document.body and task.code not in document.body
    assert document.principals == ["public"]
    secret = make_task(status=TaskStatus.IN_PROGRESS, is_confidential=True)
    # Confidential: the host's reporters only, never its plain members ("org:").
    assert get_spec("task").document_for(secret).principals == [f"reporter:{secret.host_id}"]


def test_expert_history_lists_council_seats(client, make_task, editor, org_b):
    from sti.directory.models import Researcher
    from sti.projects import services
    from sti.projects.choices import CouncilKind, CouncilRole, EvaluationVerdict

    person = Researcher.objects.create(
        full_name="Đỗ Thị Hội Đồng", organization=org_b, is_expert=True, is_public=True
    )
    task = make_task(title="Nhiệm vụ có hội đồng")
    council = services.create_council(
        editor,
        task,
        kind=CouncilKind.ACCEPTANCE,
        members=[(person, CouncilRole.REVIEWER, "cùng lĩnh vực")],
    )
    services.record_evaluation(
        editor, council.members.get(), verdict=EvaluationVerdict.PASSED, score=80
    )
    page = client.get(f"/nhiem-vu/chuyen-gia/{person.pk}/").content.decode()
    assert "Nhiệm vụ có hội đồng" in page and "Phản biện" in page
    # Individual verdicts and scores are for editors only (ISSUE 9).
    assert "Đạt" not in page and "(80" not in page
    client.force_login(editor)
    page = client.get(f"/nhiem-vu/chuyen-gia/{person.pk}/").content.decode()
    assert "Đạt" in page and "(80" in page
