"""The duplicate-check matrix is never built inside a web request for a large corpus: the
request queues the worker's rebuild, the page says so, and pending checks run afterwards."""

import pytest

from sti.core import jobs
from sti.core.choices import JobState
from sti.core.models import TrackedJob
from sti.core.similarity import IndexNotReady
from sti.projects import services
from sti.projects.choices import ProposalStatus, TaskStatus
from sti.projects.models import Proposal
from sti.projects.similarity import duplicates as similarity

NOTICE = "Đang lập chỉ mục tra cứu trùng lặp"


@pytest.fixture
def corpus(make_task, org_b):
    make_task(
        status=TaskStatus.ACCEPTED,
        host=org_b,
        title="Nuôi cá tra thâm canh bằng thức ăn công nghiệp",
        objectives="Giảm hệ số thức ăn trong nuôi cá tra.",
        content="Thử nghiệm khẩu phần cho cá tra.",
    )
    for _i in range(5):
        make_task(status=TaskStatus.ACCEPTED, host=org_b)


@pytest.fixture
def proposal(reporter_a, org_a):
    return services.create_proposal(
        reporter_a,
        {
            "title": "Nuôi cá tra thâm canh với thức ăn công nghiệp giảm hệ số thức ăn",
            "organization": org_a,
            "objectives": "Giảm hệ số thức ăn khi nuôi CÁ TRA.",
        },
    )


def test_small_corpus_is_checked_inline(
    client_for, reporter_a, corpus, proposal, django_capture_on_commit_callbacks
):
    assert not similarity.cache_path().exists()
    with django_capture_on_commit_callbacks() as callbacks:
        client_for(reporter_a).post(f"/nhiem-vu/de-xuat/{proposal.pk}/nop/")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SEARCHED and proposal.checked_at is not None
    assert proposal.matches.first().title.startswith("Nuôi cá tra thâm canh")
    assert callbacks == []  # no rebuild queued
    assert NOTICE not in client_for(reporter_a).get(proposal.get_absolute_url()).content.decode()


def test_large_corpus_queues_the_rebuild_and_checks_the_proposal_afterwards(
    client_for, reporter_a, corpus, proposal, settings, django_capture_on_commit_callbacks
):
    settings.STI_SIMILARITY_INLINE_MAX = 3  # the 6 tasks count as a large corpus
    c = client_for(reporter_a)
    with django_capture_on_commit_callbacks() as callbacks:
        response = c.post(f"/nhiem-vu/de-xuat/{proposal.pk}/nop/")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.checked_at is None
    assert list(Proposal.objects.check_pending()) == [proposal]
    assert (
        not proposal.matches.exists() and similarity._index is None
    )  # nothing built in the request
    assert len(callbacks) == 1  # the rebuild, enqueued after the commit

    page = c.get(proposal.get_absolute_url()).content.decode()
    assert (
        NOTICE in page and f'hx-get="/nhiem-vu/de-xuat/{proposal.pk}/trang-thai-tra-cuu/"' in page
    )
    status = c.get(f"/nhiem-vu/de-xuat/{proposal.pk}/trang-thai-tra-cuu/")
    assert NOTICE in status.content.decode() and "HX-Refresh" not in status

    callbacks[0]()  # the immediate backend runs the worker's task: rebuild, then pending checks
    assert not similarity.rebuild_pending() and similarity.cache_path().exists()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SEARCHED and proposal.checked_at is not None
    assert proposal.matches.first().title.startswith("Nuôi cá tra thâm canh")
    status = c.get(f"/nhiem-vu/de-xuat/{proposal.pk}/trang-thai-tra-cuu/")
    assert status["HX-Refresh"] == "true"
    assert NOTICE not in c.get(proposal.get_absolute_url()).content.decode()


def test_explicit_recheck_waits_for_the_worker(
    client_for, editor, corpus, proposal, settings, django_capture_on_commit_callbacks
):
    settings.STI_SIMILARITY_INLINE_MAX = 3
    c = client_for(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = c.post(f"/nhiem-vu/de-xuat/{proposal.pk}/tra-cuu/", follow=True)
    assert NOTICE in response.content.decode()
    assert callbacks and similarity._index is None  # the POST and the page each ask; one runs
    for callback in callbacks:
        callback()
    assert similarity.available()
    services.check_duplicates(editor, proposal)
    assert proposal.matches.exists()


def test_a_queued_rebuild_is_not_queued_twice(db, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        queued = jobs.create(similarity.job_kind)
        assert similarity.request_rebuild() is False
    assert callbacks == []
    TrackedJob.objects.filter(pk=queued.pk).update(state=JobState.DONE)
    with django_capture_on_commit_callbacks() as callbacks:
        assert similarity.request_rebuild() is True
    assert len(callbacks) == 1


def test_get_index_refuses_to_build_a_large_corpus(corpus, settings):
    settings.STI_SIMILARITY_INLINE_MAX = 3
    with pytest.raises(IndexNotReady):
        similarity.find_similar("cá tra")
    assert len(similarity.get_index(allow_build=True)) == 6
