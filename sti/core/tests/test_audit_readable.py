"""The audit log reads as people speak: field names, choice labels, related records by name,
links to the record and the actor, and no "∅ → ∅" rows (issue 9, defect 5)."""

from __future__ import annotations

import pytest
from django.utils import translation

from sti.core import audit
from sti.core.models import AdminUnit, AuditEntry
from sti.core.testing import assert_flat_queries
from sti.directory.choices import OrganizationKind

pytestmark = pytest.mark.django_db


def test_empty_to_empty_changes_are_not_recorded(editor, org_a):
    entry = audit.record(
        editor,
        "update",
        org_a,
        {"phone": [None, ""], "website": ["", ""], "address": ["", "Ninh Kiều"]},
    )
    assert entry.changes == {"address": ["", "Ninh Kiều"]}
    before = audit.snapshot(org_a)
    before["phone"] = None  # a null that became "" is not a change
    assert audit.record_update(editor, org_a, before) is None


def test_rows_show_verbose_names_choice_labels_and_related_names(editor, org_a):
    unit = AdminUnit.objects.first()
    audit.record(
        editor,
        "update",
        org_a,
        {
            "kind": [OrganizationKind.UNIVERSITY, OrganizationKind.INSTITUTE],
            "admin_unit": [None, unit.pk],
            "phone": [None, ""],
        },
    )
    with translation.override("vi"):
        (entry,) = audit.readable(AuditEntry.objects.all())
    rows = {row.label: (row.before, row.after) for row in entry.rows}
    assert rows == {
        "Loại hình tổ chức": ("Trường đại học, học viện", "Viện, trung tâm nghiên cứu"),
        "Đơn vị hành chính": ("", str(unit)),
    }
    assert entry.record_url == org_a.get_absolute_url()
    with translation.override("en"):
        (entry,) = audit.readable(AuditEntry.objects.all())
    labels = [row.label for row in entry.rows]
    assert "Loại hình tổ chức" not in labels  # translated


def test_a_created_record_lists_its_values_and_a_deleted_one_has_no_link(editor, org_a):
    audit.record_create(editor, org_a)
    pk = org_a.pk
    audit.record_delete(editor, org_a)
    org_a.delete()
    entries = audit.readable(AuditEntry.objects.filter(object_id=str(pk)).order_by("id"))
    created, deleted = entries
    assert any(row.after == org_a.name for row in created.rows)
    assert all(row.label != "id" for row in created.rows)
    assert created.record_url == "" and deleted.record_url == ""
    assert all(row.before or row.after for entry in entries for row in entry.rows)


def test_the_page_links_records_and_actors_and_filters_by_actor(client_for, editor, org_a):
    audit.record(editor, "update", org_a, {"kind": ["university", "institute"]})
    client = client_for(editor)
    page = client.get("/nhat-ky/").content.decode()
    assert f'href="{org_a.get_absolute_url()}"' in page
    assert f'href="?actor={editor.pk}"' in page
    assert "Viện, trung tâm nghiên cứu" in page and "<code>kind</code>" not in page
    assert "∅" not in page
    assert "Tổ chức" in page  # the record type by its name, not "directory.organization"
    assert client.get(f"/nhat-ky/?actor={editor.pk}").status_code == 200
    assert client.get("/nhat-ky/?actor=99999999999999999999").status_code == 200


def test_a_member_cannot_read_the_audit_log(client_for, member_a):
    assert client_for(member_a).get("/nhat-ky/").status_code in (302, 403)


def test_readable_log_queries_stay_flat(client_for, editor, org_a, org_b):
    units = list(AdminUnit.objects.all()[:2])

    def add(count):
        for i in range(count):
            target = (org_a, org_b)[i % 2]
            audit.record(
                editor,
                "update",
                target,
                {"kind": ["university", "institute"], "admin_unit": [None, units[i % 2].pk]},
            )
        return [str(units[0])]

    assert_flat_queries(client_for(editor), "/nhat-ky/", add, at_most=8)
