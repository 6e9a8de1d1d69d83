"""MUST SHOW: a saved search's digest contains exactly the new records its owner may see,
none they may not, and nothing an earlier digest sent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sti.alerts import jobs, services
from sti.alerts.choices import DigestFrequency
from sti.alerts.models import DigestRun, SavedSearch

# Who sees which record of `salt_rice_world`, by the access rules of the library and the
# task registry (checked against `visible_to` below, so this table cannot drift).
EXPECTED = {
    "dangky": {"public_doc", "registered_doc", "public_task"},
    "thanhvien_a": {"public_doc", "registered_doc", "public_task"},
    "baocao_a": {"public_doc", "registered_doc", "public_task", "confidential_task", "draft_task"},
    "baocao_b": {"public_doc", "registered_doc", "public_task"},
    "bientap": {
        "public_doc",
        "registered_doc",
        "staff_doc",
        "embargoed_doc",
        "public_task",
        "confidential_task",
        "draft_task",
    },
}


def _save(user, **extra):
    saved = services.save_search(
        user, name="Lúa chịu mặn", query="lua chiu man", frequency=DigestFrequency.DAILY, **extra
    )
    # Saved an hour before the records were listed.
    SavedSearch.objects.filter(pk=saved.pk).update(created_at=timezone.now() - timedelta(hours=1))
    saved.refresh_from_db()
    return saved


def _mail_to(user):
    found = [message for message in mail.outbox if message.to == [user.email]]
    assert len(found) <= 1
    return found[0] if found else None


def _titles_in(message) -> set[str]:
    return {line[2:].split(" (")[0] for line in message.body.splitlines() if line.startswith("- ")}


def _visible_keys(world, user) -> set[str]:
    return {
        key
        for key, record in world.items()
        if type(record.obj).objects.visible_to(user).filter(pk=record.obj.pk).exists()
    }


@pytest.mark.django_db
def test_each_digest_holds_exactly_what_its_owner_may_see(salt_rice_world, with_emails, settings):
    settings.STI_ALERTS_DIGEST_HOUR = 0
    world = salt_rice_world
    saved = {name: _save(user) for name, user in with_emails.items()}
    mail.outbox.clear()

    outcome = jobs.run_due_digests(timezone.now() + timedelta(seconds=1))
    assert outcome.sent == 5 and outcome.failed == 0

    for name, user in with_emails.items():
        assert _visible_keys(world, user) == EXPECTED[name], name
        message = _mail_to(user)
        expected_titles = {world[key].title for key in EXPECTED[name]}
        assert _titles_in(message) == expected_titles, name
        unseen = {world[key].title for key in world} - expected_titles
        html = message.alternatives[0][0]
        for title in unseen:  # neither in the text nor in the HTML part
            assert title not in message.body and title not in html, (name, title)
        run = DigestRun.objects.get(saved_search=saved[name])
        assert set(run.uids) == {world[key].uid for key in EXPECTED[name]}
        assert run.new_count == len(EXPECTED[name]) and run.emailed


@pytest.mark.django_db
def test_nothing_sent_twice_and_only_new_records_next_time(
    salt_rice_world, with_emails, make_library_document, run_on_commit, settings
):
    settings.STI_ALERTS_DIGEST_HOUR = 0
    reporter = with_emails["baocao_a"]
    saved = _save(reporter)
    now = timezone.now()  # after the world's records, before the one added below
    assert jobs.send_digest(saved.pk, now).state == "sent"
    assert len(mail.outbox) == 1

    # The same period again (a second worker, a retry): nothing is written or sent.
    assert jobs.send_digest(saved.pk, now + timedelta(seconds=1)).state == "already"
    assert jobs.due(now + timedelta(seconds=2)) == []
    assert len(mail.outbox) == 1 and DigestRun.objects.count() == 1

    # Next day: the same records are still inside the look-back window, but already sent.
    tomorrow = now + timedelta(days=1)
    assert jobs.send_digest(saved.pk, tomorrow).state == "empty"
    assert len(mail.outbox) == 1  # no empty mail

    # A new record appears: the next digest holds it alone.
    with run_on_commit():
        fresh = make_library_document("Quy trình bón phân cho lúa chịu mặn")
    outcome = jobs.send_digest(saved.pk, tomorrow + timedelta(days=1))
    assert outcome.state == "sent" and outcome.uids == [fresh.uid]
    assert _titles_in(mail.outbox[-1]) == {fresh.title}
    assert "1 bản ghi mới" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_records_listed_before_the_search_was_saved_are_not_new(
    salt_rice_world, with_emails, settings
):
    user = with_emails["dangky"]
    saved = services.save_search(user, name="Lúa", query="lua chiu man")
    SavedSearch.objects.filter(pk=saved.pk).update(frequency=DigestFrequency.DAILY)
    assert jobs.send_digest(saved.pk, timezone.now() + timedelta(seconds=1)).state == "empty"
    assert mail.outbox == []


@pytest.mark.django_db
def test_filters_and_follows_narrow_the_digest(salt_rice_world, with_emails, org_b, settings):
    user = with_emails["dangky"]
    by_type = _save(user, filters={"type": ["task"]})
    follow, created = services.follow(user, "organization", str(org_b.pk))
    assert created and follow.name == f"Tổ chức: {org_b.name}"
    assert services.follow(user, "organization", str(org_b.pk)) == (follow, False)
    SavedSearch.objects.filter(pk=follow.pk).update(
        created_at=timezone.now() - timedelta(hours=1), frequency=DigestFrequency.DAILY
    )
    now = timezone.now() + timedelta(seconds=1)
    assert jobs.send_digest(by_type.pk, now).uids == [salt_rice_world["public_task"].uid]
    # Following organization B: its public task (the search core tags records with the
    # organization of their access rule).
    assert jobs.send_digest(follow.pk, now).uids == [salt_rice_world["public_task"].uid]


@pytest.mark.django_db
def test_weekly_digest_once_per_week_and_not_before_the_hour(
    salt_rice_world, with_emails, settings
):
    settings.STI_ALERTS_DIGEST_HOUR = 7
    user = with_emails["dangky"]
    saved = _save(user)
    SavedSearch.objects.filter(pk=saved.pk).update(frequency=DigestFrequency.WEEKLY)
    local = timezone.localtime(timezone.now() + timedelta(days=7))
    monday = (local - timedelta(days=local.weekday())).replace(hour=6, minute=0)
    assert jobs.due(monday) == []  # before the hour
    assert jobs.due(monday.replace(hour=8)) == [saved.pk]
    assert jobs.send_digest(saved.pk, monday.replace(hour=8)).state == "sent"
    assert jobs.due(monday.replace(hour=8) + timedelta(days=3)) == []  # same week
    assert jobs.due(monday.replace(hour=8) + timedelta(days=7)) == [saved.pk]


@pytest.mark.django_db
def test_no_digest_without_email_or_when_turned_off(salt_rice_world, registered, settings):
    settings.STI_ALERTS_DIGEST_HOUR = 0
    saved = _save(registered)  # this persona has no e-mail address
    assert jobs.due() == []
    assert jobs.send_digest(saved.pk).state == "skipped"
    registered.email = "dangky@example.vn"
    registered.save()
    SavedSearch.objects.filter(pk=saved.pk).update(frequency=DigestFrequency.NONE)
    assert jobs.due() == [] and jobs.send_digest(saved.pk).state == "skipped"


@pytest.mark.django_db
def test_failed_send_is_not_recorded_and_is_retried(salt_rice_world, with_emails, settings):
    settings.STI_ALERTS_DIGEST_HOUR = 0
    settings.EMAIL_BACKEND = "sti.alerts.tests.failing_mail.Backend"
    saved = _save(with_emails["dangky"])
    outcome = jobs.run_due_digests(timezone.now() + timedelta(seconds=1))
    assert outcome.failed == 1 and DigestRun.objects.count() == 0
    saved.refresh_from_db()
    assert saved.covered_until is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert jobs.run_due_digests(timezone.now() + timedelta(seconds=2)).sent == 1


@pytest.mark.django_db
def test_mail_is_vietnamese_text_and_html_with_one_click_unsubscribe(
    salt_rice_world, with_emails, client, settings
):
    settings.STI_ALERTS_DIGEST_HOUR = 0
    user = with_emails["dangky"]
    saved = _save(user)
    jobs.send_digest(saved.pk, timezone.now() + timedelta(seconds=1))
    message = mail.outbox[0]
    assert message.subject.endswith("Lúa chịu mặn: 3 bản ghi mới")
    assert "Kính gửi Lê Văn Đăng Ký" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<a href=" in html
    link = re.search(r"<(http[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body and link in html
    path = link.removeprefix(settings.SITE_URL)

    # No login needed: GET asks, POST (as a mail client's one-click does) stops the mails.
    page = client.get(path)
    assert page.status_code == 200 and "Ngừng nhận thư" in page.content.decode()
    assert SavedSearch.objects.get(pk=saved.pk).frequency == DigestFrequency.DAILY
    done = client.post(path)
    assert done.status_code == 200 and "không nhận thư" in done.content.decode()
    assert SavedSearch.objects.get(pk=saved.pk).frequency == DigestFrequency.NONE
    assert client.post(path).status_code == 200  # a second click changes nothing


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", ["flip", "wrong_key", "foreign", "garbage"])
def test_tampered_unsubscribe_link_is_refused(with_emails, client, tamper):
    from django.core import signing

    from sti.alerts.links import UNSUBSCRIBE_SALT

    user = with_emails["dangky"]
    saved = services.save_search(user, name="A", query="lúa", frequency=DigestFrequency.DAILY)
    other = services.save_search(
        with_emails["baocao_b"], name="B", query="tôm", frequency=DigestFrequency.DAILY
    )
    token = services.unsubscribe_token(saved)
    if tamper == "flip":  # one character of the signature changed
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif tamper == "wrong_key":  # another search's id, signed without the site's key
        token = signing.dumps({"s": other.pk, "u": user.pk}, key="khoa-gia", salt=UNSUBSCRIBE_SALT)
    elif tamper == "foreign":  # properly signed, but that search is not this user's
        token = signing.dumps({"s": other.pk, "u": user.pk}, salt=UNSUBSCRIBE_SALT)
    else:
        token = "khong-hop-le"
    response = client.post(f"/thong-bao/huy/{token}/")
    assert response.status_code == 400
    assert "Liên kết hủy nhận thư không hợp lệ" in response.content.decode()
    assert set(SavedSearch.objects.values_list("frequency", flat=True)) == {"daily"}
