"""The sample data loads (twice, idempotently) on top of the directory's sample."""

from sti.directory.sample import load_sample as load_directory
from sti.projects.choices import TaskStatus
from sti.projects.models import Council, Proposal, Task
from sti.projects.sample import load_sample


def test_sample_loads_idempotently(db, django_capture_on_commit_callbacks, editor):
    load_directory(lambda _m: None)
    with django_capture_on_commit_callbacks(execute=True):
        load_sample(lambda _m: None)
    load_sample(lambda _m: None)
    assert Task.objects.count() == 23
    first = Task.objects.get(code="CT.2021.01")
    assert first.title.startswith("Nghiên cứu chọn tạo giống lúa thơm chịu mặn")
    assert first.registration.archive_number == "2023-62/KQNC"
    assert first.principal.full_name == "Trần Văn Bảo"
    assert Task.objects.filter(status=TaskStatus.IN_PROGRESS).exists()
    flagged = Proposal.objects.get(title__startswith="Sử dụng màng bao chitosan")
    assert flagged.flagged and flagged.matches.first().task.code == "CT.2021.06"
    council = Council.objects.get()
    assert council.members.count() >= 3
    host_staff = set(council.task.host.researchers.values_list("pk", flat=True))
    assert not host_staff & set(council.members.values_list("researcher_id", flat=True))


def test_library_reports_agree_with_their_tasks(db, admin_user, django_capture_on_commit_callbacks):
    """A sample report bearing a task's title is that task's report: same people, host and
    year, linked from the task; a draft's or a confidential task's is for staff only."""
    from sti.library.choices import AccessLevel
    from sti.library.models import Document
    from sti.library.sample import load_sample as load_library

    load_directory(lambda _m: None)
    load_library(lambda _m: None)
    load_sample(lambda _m: None)
    load_sample(lambda _m: None)
    reports = Document.objects.filter(call_number__startswith="MAU-", source_type="report")
    assert reports.count() >= 20
    for document in reports:
        (task,) = document.tasks.all()
        people = [member.display_name for member in task.members.order_by("order")]
        assert document.creator_names() == (people or [task.principal_display])
        assert document.publisher == task.host.name
        if task.is_completed:
            assert document.year == task.acceptances.get().date.year
        else:
            assert "chưa nghiệm thu" in document.abstract or "Thuyết minh" in document.abstract
        if task.is_draft or task.is_confidential:
            assert document.access == AccessLevel.STAFF


def test_generate_creates_synthetic_tasks_with_results(db, org_a):
    from sti.projects.sample import generate

    done = []
    result = generate(120, 3, lambda label, total: done.append)
    assert result == {"tasks": 120} and Task.objects.count() == 120
    completed = Task.objects.completed()
    assert completed.exists() and all(
        t.registration.archive_number.endswith("/KQNC") for t in completed[:5]
    )
    assert Task.objects.filter(title_folded="").count() == 0


def test_researcher_may_propose_for_own_organization(client_for, registered, org_a, org_b):
    from sti.directory.models import Researcher

    Researcher.objects.create(full_name="Lê Văn Đăng Ký", organization=org_a, user=registered)
    c = client_for(registered)
    assert (
        c.post(
            "/nhiem-vu/de-xuat/them/", {"title": "Đề xuất cá nhân", "organization": org_b.pk}
        ).status_code
        == 200
    )
    assert (
        c.post(
            "/nhiem-vu/de-xuat/them/", {"title": "Đề xuất cá nhân", "organization": org_a.pk}
        ).status_code
        == 302
    )
    assert Proposal.objects.get().proposer == registered
