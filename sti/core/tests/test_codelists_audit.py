import pytest

from sti.core import audit
from sti.core.choices import AuditAction
from sti.core.models import AdminUnit, AuditEntry, CodeListVersion, FieldOfScience, TaskLevel

pytestmark = pytest.mark.django_db


def test_field_classification_2008_is_loaded_with_levels_and_parents():
    current = FieldOfScience.objects.current()
    assert current.filter(level=1).count() == 6
    assert current.get(code="405").name == "Thủy sản"
    assert current.get(code="405").parent.code == "4"
    assert current.get(code="40107").parent.code == "401"
    assert current.get(code="40107").level == 3
    assert CodeListVersion.objects.get(
        list_name="field_of_science", version="QĐ12-2008"
    ).legal_basis


def test_task_levels_mark_district_as_legacy():
    levels = {level.code: level for level in TaskLevel.objects.all()}
    assert set(levels) >= {"quoc_gia", "bo_nganh", "tinh", "huyen", "co_so"}
    assert levels["huyen"].is_legacy
    assert not levels["tinh"].is_legacy


def test_admin_units_record_the_2025_merger():
    new_city = AdminUnit.objects.get(version__version="2025", code="92")
    hau_giang = AdminUnit.objects.get(version__version="2024", code="93")
    co_do = AdminUnit.objects.get(version__version="2024", name="Huyện Cờ Đỏ")
    assert hau_giang.merged_into == new_city
    assert co_do.parent.name == "Thành phố Cần Thơ"
    assert co_do.merged_into == new_city


def test_loading_code_lists_again_is_idempotent():
    from django.apps import apps

    from sti.core.codelists import load_all

    before = FieldOfScience.objects.count(), AdminUnit.objects.count()
    load_all(apps)
    assert (FieldOfScience.objects.count(), AdminUnit.objects.count()) == before


def test_audit_records_changed_fields_with_actor(editor, org_a):
    before = audit.snapshot(org_a)
    org_a.name = "Trường Đại học Cần Thơ (CTU)"
    org_a.save()
    entry = audit.record_update(editor, org_a, before, note="đổi tên")
    assert entry.actor == editor
    assert entry.action == AuditAction.UPDATE
    assert entry.changes["name"] == ["Trường Đại học Cần Thơ", "Trường Đại học Cần Thơ (CTU)"]
    assert list(audit.history_for(org_a)) == [entry]


def test_audit_update_without_change_writes_nothing(editor, org_a):
    assert audit.record_update(editor, org_a, audit.snapshot(org_a)) is None
    assert not AuditEntry.objects.exists()


def test_audit_log_page_is_for_editors_only(client_for, editor, registered, org_a):
    audit.record_create(editor, org_a)
    assert client_for(editor).get("/nhat-ky/").status_code == 200
    assert "Trường Đại học Cần Thơ" in client_for(editor).get("/nhat-ky/").content.decode()
    assert client_for(registered).get("/nhat-ky/").status_code == 403
    assert client_for(None).get("/nhat-ky/").status_code == 302


def test_snapshot_serialises_file_fields(tmp_path):
    import json

    from django.core.files.base import ContentFile
    from django.db import models as dj_models

    class Scan(dj_models.Model):
        file = dj_models.FileField(upload_to="scans")
        data = dj_models.BinaryField(default=b"")

        class Meta:
            app_label = "core"
            managed = False

        def __str__(self):
            return self.file.name

    try:
        scan = Scan(pk=1, data=b"abc")
        scan.file.save("trang-1.pdf", ContentFile(b"%PDF-1.4"), save=False)
        snap = audit.snapshot(scan)
        assert snap["file"].endswith(".pdf")
        assert snap["data"] == "<3 bytes>"
        json.dumps(snap)  # storable in the JSON column
    finally:
        # A model defined in a test must not stay in the app registry: later tests that walk
        # every model (backups, dumpdata) would look for its table.
        from django.apps import apps

        apps.all_models["core"].pop("scan", None)
        apps.clear_cache()


def test_code_list_names_follow_the_page_language():
    from django.utils import translation

    fisheries = FieldOfScience.objects.current().get(code="405")
    assert str(fisheries) == "405 – Thủy sản"
    with translation.override("en"):
        assert str(fisheries) == "405 – Fisheries"
        assert FieldOfScience.objects.current().labels()["4"] == "Agricultural sciences"
        assert str(TaskLevel.objects.get(code="tinh")) == "Provincial/city"
    choices = dict(FieldOfScience.objects.current().choices())
    assert choices["405"] == "\u2003405 – Thủy sản"
    assert choices["40107"].startswith("\u2003\u200340107")


def test_audit_records_many_to_many_changes(django_user_model):
    from django.contrib.auth.models import Group

    readers, writers = Group.objects.create(name="Đọc"), Group.objects.create(name="Ghi")
    user = django_user_model.objects.create_user("duc", password="x")
    user.groups.set([readers])
    before = audit.snapshot(user, m2m=["groups"])
    assert before["groups"] == ["Đọc"]
    user.groups.set([readers, writers])
    entry = audit.record_update(None, user, before, note="thêm nhóm")
    assert entry.changes == {"groups": [["Đọc"], ["Ghi", "Đọc"]]}
    # Nothing changed, nothing recorded; a created object records its relations.
    assert audit.record_update(None, user, audit.snapshot(user, m2m=["groups"])) is None
    created = audit.record_create(None, user, m2m=["groups"])
    assert created.changes["__new__"]["groups"] == ["Ghi", "Đọc"]


def test_related_keys_prefer_codes_and_slugs():
    fields = FieldOfScience.objects.current().filter(code__in=["405", "401"])
    assert audit.related_keys(fields) == ["401", "405"]
