"""Import IP filings from a spreadsheet (.xlsx or .csv), on the shared importer.

One row per application. The applicant is matched to the directory (identifier, name or
abbreviation, accents and case ignored); an applicant not found is kept as a name (a
person, or a firm outside the directory). Every row is validated by the model's own rules;
confirmation writes all rows through the service in one transaction, or none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sti.core.imports import Column, ImportResult, PreviewRow, SpreadsheetImporter, parse_date
from sti.core.text import fold_lower, normalize
from sti.directory.models import Organization
from sti.ip import services
from sti.ip.choices import FilingStatus, IPKind
from sti.ip.models import Filing
from sti.projects.models import Task


@dataclass
class PlannedFiling:
    row: int
    data: dict
    instance: None = None  # imports only create (a known application number is an error)


class FilingImporter(SpreadsheetImporter):
    kind = "ip_filing"
    slug = "don-so-huu-tri-tue"
    title = _("Nhập sổ đăng ký sở hữu trí tuệ")
    lists_fields_of_science = False
    columns = [
        Column("kind", "Loại đối tượng", required=True, choices=IPKind, example="Nhãn hiệu"),
        Column("title", "Tên đối tượng", required=True, example="Gạo Cỏ May", width=40),
        Column("application_number", "Số đơn", example="4-2018-12345", width=16),
        Column("filed_on", "Ngày nộp đơn", note=_("dd/mm/yyyy"), example="15/03/2018", width=14),
        Column(
            "applicant",
            "Chủ đơn",
            required=True,
            note=_(
                "Mã định danh, tên hoặc tên viết tắt của tổ chức trong danh bạ; "
                "hoặc họ tên cá nhân."
            ),
            example="Công ty TNHH Lương thực Cỏ May",
            width=36,
        ),
        Column("status", "Trạng thái", choices=FilingStatus, example="Đã nộp đơn", width=22),
        Column("grant_number", "Số văn bằng", example="4-0312345", width=14),
        Column("granted_on", "Ngày cấp văn bằng", note=_("dd/mm/yyyy"), example="", width=14),
        Column(
            "task", "Mã nhiệm vụ", note=_("Nếu đơn là kết quả của một nhiệm vụ KH&CN."), width=16
        ),
    ]

    def prepare(self) -> None:
        self.organizations: dict[str, int | None] = {}
        for pk, identifier, name, abbreviation in Organization.objects.values_list(
            "pk", "identifier", "name", "abbreviation"
        ):
            for key in (identifier, fold_lower(name), fold_lower(abbreviation)):
                if key:
                    # A key shared by two organizations matches neither (None).
                    self.organizations[key] = None if key in self.organizations else pk
        self.tasks = dict(Task.objects.exclude(code="").values_list("code", "pk"))
        self.taken = set(
            Filing.objects.exclude(application_number="").values_list("kind", "application_number")
        )
        self.seen: dict[tuple[str, str], int] = {}

    def parse_row(self, number: int, row: dict, result: ImportResult) -> None:
        errors: list[tuple[str, str]] = []
        kind = self.convert_choice(self.column("kind"), row.get("kind", ""), errors)
        status = self.convert_choice(self.column("status"), row.get("status", ""), errors)
        values = {
            "kind": kind,
            "title": normalize(row.get("title", "")),
            "application_number": row.get("application_number", "").replace(" ", ""),
            "filed_on": parse_date(row.get("filed_on", ""), errors, "filed_on", "Ngày nộp đơn"),
            "status": status or FilingStatus.FILED,
            "grant_number": row.get("grant_number", ""),
            "granted_on": parse_date(
                row.get("granted_on", ""), errors, "granted_on", "Ngày cấp văn bằng"
            ),
        }
        applicant = normalize(row.get("applicant", ""))
        organization_id = self.organizations.get(applicant) or self.organizations.get(
            fold_lower(applicant)
        )
        values["applicant_organization_id"] = organization_id
        values["applicant_name"] = "" if organization_id else applicant
        code = row.get("task", "")
        values["task_id"] = self.tasks.get(code) if code else None
        if code and values["task_id"] is None:
            errors.append(
                ("task", gettext("Mã nhiệm vụ: không tìm thấy “%(code)s”.") % {"code": code})
            )
        key = (kind, values["application_number"])
        if values["application_number"]:
            if key in self.taken:
                errors.append(
                    (
                        "application_number",
                        gettext("Số đơn %(number)s đã có trong sổ đăng ký.") % {"number": key[1]},
                    )
                )
            elif key in self.seen:
                errors.append(
                    (
                        "application_number",
                        gettext("Số đơn %(number)s trùng với dòng %(other)s.")
                        % {"number": key[1], "other": self.seen[key]},
                    )
                )
            self.seen.setdefault(key, number)
        errors.extend(self._model_errors(values, {key for key, _message in errors}))
        if not self.add_row(result, number, values, errors):
            return
        result.records.append(PlannedFiling(number, values))
        result.preview.append(
            PreviewRow(
                row=number,
                action="create",
                label=values["title"],
                detail=" · ".join(
                    part
                    for part in (str(IPKind(kind).label), values["application_number"], applicant)
                    if part
                ),
            )
        )

    def _model_errors(self, values: dict, reported: set) -> list[tuple[str, str]]:
        """The model's own rules (required fields, grant data, dates), per cell."""
        filing = Filing(
            **{
                key: value or None if key.endswith("_on") else value
                for key, value in values.items()
            }
        )
        try:
            filing.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            found = []
            for name, messages in error.message_dict.items():
                if name in reported or (name == "kind" and "kind" in reported):
                    continue
                label = Filing._meta.get_field(name).verbose_name if name != "__all__" else ""
                found.extend((name, f"{label}: {m}" if label else m) for m in messages)
            return found
        return []

    def apply(self, actor, result: ImportResult, *, filename: str = "") -> dict:
        with transaction.atomic():
            created = [
                services.create_filing(actor, _service_data(record.data))
                for record in result.records
            ]
            self.audit_import(actor, created[0], len(created), filename)
        return {"created": len(created), "updated": 0}


def _service_data(values: dict) -> dict:
    data = {key: value for key, value in values.items() if not key.endswith("_id")}
    for key in ("filed_on", "granted_on"):
        data[key] = data[key] or None
    data["applicant_organization"] = (
        Organization.objects.get(pk=values["applicant_organization_id"])
        if values["applicant_organization_id"]
        else None
    )
    data["task"] = Task.objects.get(pk=values["task_id"]) if values["task_id"] else None
    return data
