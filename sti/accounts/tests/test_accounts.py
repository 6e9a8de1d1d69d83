import pytest
from django.core import mail

from sti.accounts.models import User
from sti.accounts.tokens import create_token, user_for_token
from sti.search.services import principals_for

pytestmark = pytest.mark.django_db


def test_login_and_logout(client, registered):
    response = client.post("/tai-khoan/dang-nhap/", {"username": "dangky", "password": "pw-dangky"})
    assert response.status_code == 302
    assert client.get("/").context["user"] == registered
    client.post("/tai-khoan/dang-xuat/")
    assert not client.get("/").context["user"].is_authenticated


def test_repeated_failed_logins_lock_the_account(client, registered, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/tai-khoan/dang-nhap/", {"username": "dangky", "password": "sai"})
    response = client.post("/tai-khoan/dang-nhap/", {"username": "dangky", "password": "pw-dangky"})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()


def test_password_reset_sends_a_working_link(client, registered):
    registered.email = "dangky@example.vn"
    registered.save()
    client.post("/tai-khoan/quen-mat-khau/", {"email": "dangky@example.vn"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/dat-lai-mat-khau/" in line)
    path = link.split("testserver", 1)[1].strip()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Mật-khẩu-mới-2026", "new_password2": "Mật-khẩu-mới-2026"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=registered.pk).check_password("Mật-khẩu-mới-2026")


def test_passwords_are_hashed_with_argon2_outside_tests(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "STI_TESTING"} | {
        "STI_DATA_DIR": str(tmp_path)
    }
    code = "from sti import settings; print(settings.PASSWORD_HASHERS[0])"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().endswith("Argon2PasswordHasher")


def test_roles_and_principals(registered, editor, admin_user, reporter_a, org_a):
    assert principals_for(None) == ["public"]
    assert principals_for(editor) is None
    assert principals_for(admin_user) is None
    assert f"org:{org_a.pk}" in principals_for(reporter_a)
    assert "registered" in principals_for(registered)
    assert f"org:{org_a.pk}" not in principals_for(registered)
    assert reporter_a.is_reporter_for(org_a.pk)
    assert not registered.is_reporter_for(org_a.pk)
    assert not registered.is_editor and editor.is_editor and admin_user.is_admin


def test_inactive_editor_loses_editor_rights(editor):
    editor.is_active = False
    assert not editor.is_editor


def test_api_tokens_are_stored_hashed_and_revocable(client_for, registered):
    key = create_token(registered, "kịch bản")
    assert user_for_token(key) == registered
    assert not registered.api_tokens.filter(key_hash=key).exists()
    token = registered.api_tokens.get()
    client_for(registered).post("/tai-khoan/khoa-api/", {"revoke": token.pk})
    assert user_for_token(key) is None
    assert user_for_token("sti_wrong") is None


def test_token_page_shows_a_new_key_once(client_for, registered):
    page = client_for(registered).post("/tai-khoan/khoa-api/", {"name": "nhập liệu"})
    assert "sti_" in page.content.decode()
    assert "sti_" not in client_for(registered).get("/tai-khoan/khoa-api/").content.decode()


def test_createadmin_command(db):
    from django.core.management import call_command

    call_command("createadmin", username="root2", password="mat-khau-dai-2026")
    user = User.objects.get(username="root2")
    assert user.is_superuser and user.is_admin
