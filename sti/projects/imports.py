"""Import tasks from Excel (.xlsx), on the shared importer.

Each row is converted and checked exactly as `services.create_task` will check it (the same
text cleaning and model validation), so a file the preview accepts is the file confirmation
writes; confirmation creates every task through `services.create_task` in one transaction.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sti.core.imports import (
    NO,
    YES,
    Column,
    ImportRejected,
    ImportResult,
    ParsedRow,
    PreviewRow,
    SpreadsheetImporter,
    choice_lookup,
)
from sti.core.models import TaskLevel
from sti.core.text import fold_lower
from sti.directory.models import Organization, Researcher
from sti.projects import services
from sti.projects.choices import TaskKind, TaskStatus
from sti.projects.models import Task

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%m/%Y", "%Y")
# The "Mật" column: yes-words or a secrecy grade mark the task confidential, no-words or an
# empty cell mark it public; anything else is a row error, never a silent "public".
CONFIDENTIAL_WORDS = YES | {"mat", "toi mat", "tuyet mat", "co mat"}
# The text columns of the sheet: the service's text fields but the principal's free-text name.
TEXT_COLUMNS = tuple(name for name in services.TEXT_FIELDS if name != "principal_name")


def _confidential(raw: str, errors: list) -> bool:
    folded = " ".join(fold_lower(raw).replace(".", " ").split())
    if not folded or folded in NO:
        return False
    if folded in CONFIDENTIAL_WORDS:
        return True
    errors.append(
        _("Cột “Mật”: ghi “Có”, “Mật”, “Tối mật”, “Tuyệt mật” hoặc “Không”, không phải “%(v)s”.")
        % {"v": raw}
    )
    return True  # the row is refused anyway; never guess "public"


def _decimal(raw: str):
    if not raw:
        return None
    try:
        return Decimal(raw.replace(" ", "").replace(",", "."))
    except InvalidOperation as bad:
        raise ValueError(raw) from bad


def _date(raw: str):
    from datetime import datetime

    if not raw:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(raw)


class TaskImporter(SpreadsheetImporter):
    kind = "task"
    slug = "nhiem-vu"
    title = gettext_lazy("Nhập nhiệm vụ từ Excel")
    columns = [
        Column("code", "Mã số", example="CT.2022.31", width=14),
        Column(
            "title", "Tên nhiệm vụ", required=True, example="Đánh giá đa dạng sinh học", width=40
        ),
        Column("title_en", "Tên tiếng Anh", width=30),
        Column("level", "Cấp", note=gettext_lazy("Mã hoặc tên cấp quản lý."), example="tinh"),
        Column("form", "Hình thức", choices=TaskKind, width=18),
        Column(
            "fields",
            "Lĩnh vực",
            note=gettext_lazy("Mã lĩnh vực KH&CN, cách nhau bằng dấu phẩy."),
            example="106, 105",
            width=14,
        ),
        Column(
            "host",
            "Tổ chức chủ trì",
            required=True,
            note=gettext_lazy("Tên đầy đủ hoặc tên viết tắt của một tổ chức đã có."),
            example="Trường Đại học Cần Thơ",
            width=34,
        ),
        Column("managing_agency", "Cơ quan chủ quản", width=30),
        Column("principal", "Chủ nhiệm", example="Nguyễn Văn Đông", width=24),
        Column("objectives", "Mục tiêu", width=40),
        Column("content", "Nội dung", width=40),
        Column("methods", "Phương pháp", width=30),
        Column("expected_products", "Sản phẩm dự kiến", width=30),
        Column("abstract", "Tóm tắt kết quả", width=40),
        Column("planned_start", "Bắt đầu", note=gettext_lazy("dd/mm/yyyy"), example="01/03/2022"),
        Column("planned_end", "Kết thúc", note=gettext_lazy("dd/mm/yyyy"), example="31/12/2023"),
        Column("total_budget", "Tổng kinh phí", example="450,5", width=14),
        Column("state_budget", "Kinh phí NSNN", width=14),
        Column("decision_number", "Số quyết định", width=16),
        Column("contract_number", "Số hợp đồng", width=16),
        Column("status", "Trạng thái", choices=TaskStatus, example="Đang thực hiện", width=18),
        Column("is_confidential", "Mật", note=gettext_lazy("Ghi “x” nếu nhiệm vụ mật."), width=8),
    ]

    def __init__(self, actor):
        super().__init__()
        self.actor = actor

    def prepare(self) -> None:
        self.levels = {}
        for level in TaskLevel.objects.filter(version__is_current=True):
            self.levels[fold_lower(level.code)] = level
            self.levels.setdefault(fold_lower(level.name), level)
        self.orgs = {}
        for org in Organization.objects.all():
            self.orgs.setdefault(fold_lower(org.name), org)
            if org.abbreviation:
                self.orgs.setdefault(fold_lower(org.abbreviation), org)
        self.people = {}
        for person in Researcher.objects.order_by("pk"):
            self.people.setdefault(person.name_folded, person)
        self.existing_codes = set(Task.objects.exclude(code="").values_list("code", flat=True))
        self.seen_codes: set[str] = set()

    def parse_row(self, number: int, row: dict, result: ImportResult) -> None:
        errors: list[str] = []
        values = self.convert(row, errors)
        fields = values.pop("fields")
        code = values["code"]
        if code:
            if code in self.existing_codes:
                errors.append(_("Mã số %(c)s đã có trong hệ thống.") % {"c": code})
            if code in self.seen_codes:
                errors.append(_("Mã số %(c)s bị lặp trong tệp.") % {"c": code})
            self.seen_codes.add(code)
        if not errors:
            errors.extend(self.validate(values))
        if self.add_row(result, number, values, errors):
            result.records.append(ParsedRow(number, {**values, "fields": fields}))
            host = values.get("host")
            detail = " · ".join(part for part in (code, str(host) if host else "") if part)
            result.preview.append(
                PreviewRow(row=number, action="create", label=values["title"], detail=detail)
            )

    def validate(self, values: dict) -> list[str]:
        """The checks `services.create_task` runs, so the preview refuses what it would."""
        try:
            services.check_task_data(self.actor, values)
        except ValidationError as error:
            return [
                f"{capfirst(Task._meta.get_field(name).verbose_name)}: {message}"
                if name != "__all__"
                else message
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        return []

    def convert(self, row: dict, errors: list) -> dict:
        values = {name: row.get(name, "") for name in TEXT_COLUMNS}
        for name in ("title", "host"):
            if not row.get(name):
                errors.append(
                    _("Thiếu “%(f)s”.") % {"f": str(Task._meta.get_field(name).verbose_name)}
                )
        host_name = row.get("host", "")
        if host_name:
            values["host"] = self.orgs.get(fold_lower(host_name))
            if values["host"] is None:
                errors.append(_("Không tìm thấy tổ chức “%(o)s” trong danh bạ.") % {"o": host_name})
        level = row.get("level", "")
        if level:
            values["level"] = self.levels.get(fold_lower(level))
            if values["level"] is None:
                errors.append(_("Cấp “%(v)s” không hợp lệ.") % {"v": level})
        values["form"] = TaskKind.TOPIC
        if row.get("form"):
            values["form"] = choice_lookup(TaskKind).get(fold_lower(row["form"]), TaskKind.TOPIC)
            if fold_lower(row["form"]) not in choice_lookup(TaskKind):
                errors.append(_("Hình thức “%(v)s” không hợp lệ.") % {"v": row["form"]})
        values["status"] = TaskStatus.IN_PROGRESS
        if row.get("status"):
            status = choice_lookup(TaskStatus).get(fold_lower(row["status"]))
            if status is None:
                errors.append(_("Trạng thái “%(v)s” không hợp lệ.") % {"v": row["status"]})
            values["status"] = status or TaskStatus.IN_PROGRESS
        values["fields"] = self.convert_fields(row.get("fields", ""), errors)
        for name in ("planned_start", "planned_end"):
            try:
                values[name] = _date(row.get(name, ""))
            except ValueError:
                errors.append(
                    _("Ngày “%(v)s” không đúng định dạng dd/mm/yyyy.") % {"v": row.get(name)}
                )
        start, end = values.get("planned_start"), values.get("planned_end")
        if start and end and end < start:
            errors.append(_("Ngày kết thúc trước ngày bắt đầu."))
        for name in ("total_budget", "state_budget"):
            try:
                values[name] = _decimal(row.get(name, ""))
            except ValueError:
                errors.append(_("Kinh phí “%(v)s” không phải là số.") % {"v": row.get(name)})
        values["is_confidential"] = _confidential(row.get("is_confidential", ""), errors)
        principal = row.get("principal", "")
        if principal:
            person = self.people.get(fold_lower(principal))
            values["principal"], values["principal_name"] = person, "" if person else principal
        return values

    def apply(self, actor, result: ImportResult, *, filename: str = "") -> dict:
        """Create every task through the service in one transaction, or none."""
        if not result.ok:
            raise ImportRejected(_("Tệp còn dòng lỗi; chưa ghi dữ liệu nào."))
        created = []
        with transaction.atomic():
            for record in result.records:
                data = dict(record.values)
                fields = data.pop("fields")
                try:
                    created.append(services.create_task(actor, data, fields=fields))
                except ValidationError as error:
                    raise ImportRejected(
                        _("Dòng %(row)s: %(message)s")
                        % {"row": record.number, "message": "; ".join(error.messages)}
                    ) from error
                except IntegrityError as error:  # another import wrote the same code meanwhile
                    raise ImportRejected(
                        _("Dòng %(row)s: mã số “%(code)s” vừa được ghi bởi thao tác khác.")
                        % {"row": record.number, "code": data.get("code", "")}
                    ) from error
            self.audit_import(actor, created[0], len(created), filename)
        return {"created": len(created), "updated": 0}
