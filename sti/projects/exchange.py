"""Exchange with other systems: spreadsheet import, and JSON / CSV / Excel exports.

Import is two steps: `parse_workbook` reads every row and reports row errors without
writing; `import_rows` writes all rows in one transaction, or none if any row is wrong.
Exports: public task data (ongoing tasks limited to the Art. 23 §2 fields), the Mẫu 1 data
set (ongoing tasks, editors) and the Mẫu 12 data set (application of results).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from sti.core import audit
from sti.core.choices import AuditAction
from sti.core.models import FieldOfScience, TaskLevel
from sti.core.text import fold_lower, normalize
from sti.directory.models import Organization, Researcher
from sti.projects.choices import AcceptanceRating, TaskKind, TaskStatus
from sti.projects.models import ResultApplication, Task

# Spreadsheet header (folded, lower-case) → model field.
IMPORT_COLUMNS = {
    "ma so": "code",
    "ten nhiem vu": "title",
    "ten tieng anh": "title_en",
    "cap": "level",
    "hinh thuc": "form",
    "linh vuc": "fields",
    "to chuc chu tri": "host",
    "co quan chu quan": "managing_agency",
    "chu nhiem": "principal",
    "muc tieu": "objectives",
    "noi dung": "content",
    "phuong phap": "methods",
    "san pham du kien": "expected_products",
    "tom tat ket qua": "abstract",
    "bat dau": "planned_start",
    "ket thuc": "planned_end",
    "tong kinh phi": "total_budget",
    "kinh phi nsnn": "state_budget",
    "so quyet dinh": "decision_number",
    "so hop dong": "contract_number",
    "trang thai": "status",
    "mat": "is_confidential",
}
REQUIRED = ("title", "host")


@dataclass
class ParsedRow:
    number: int
    values: dict = field(default_factory=dict)
    fields: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _label_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[fold_lower(value)] = value
        lookup[fold_lower(str(label))] = value
    return lookup


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%m/%Y", "%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation as bad:
        raise ValueError(str(value)) from bad


def parse_workbook(handle) -> tuple[list[ParsedRow], list[str]]:
    """Read the first sheet; returns the rows and the header problems."""
    try:
        sheet = load_workbook(handle, read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises several types for a file that is not xlsx
        return [], [_("Không đọc được tệp: cần tệp Excel .xlsx.")]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = [IMPORT_COLUMNS.get(fold_lower(normalize(str(cell or "")))) for cell in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        return [], [_("Thiếu cột bắt buộc: %(c)s.") % {"c": ", ".join(missing)}]
    levels = {
        fold_lower(level.code): level
        for level in TaskLevel.objects.filter(version__is_current=True)
    }
    levels.update({fold_lower(level.name): level for level in levels.copy().values()})
    fields = {f.code: f for f in FieldOfScience.objects.current()}
    orgs = {}
    for org in Organization.objects.all():
        orgs.setdefault(fold_lower(org.name), org)
        if org.abbreviation:
            orgs.setdefault(fold_lower(org.abbreviation), org)
    forms, statuses = _label_lookup(TaskKind.choices), _label_lookup(TaskStatus.choices)
    existing_codes = set(Task.objects.exclude(code="").values_list("code", flat=True))
    seen_codes: set[str] = set()
    parsed = []
    for number, cells in enumerate(rows, start=2):
        if not any(cell not in (None, "") for cell in cells):
            continue
        row = ParsedRow(number)
        raw = {name: cells[i] for i, name in enumerate(columns) if name and i < len(cells)}
        _convert(row, raw, levels, fields, orgs, forms, statuses)
        code = row.values.get("code", "")
        if code:
            if code in existing_codes:
                row.errors.append(_("Mã số %(c)s đã có trong hệ thống.") % {"c": code})
            if code in seen_codes:
                row.errors.append(_("Mã số %(c)s bị lặp trong tệp.") % {"c": code})
            seen_codes.add(code)
        parsed.append(row)
    return parsed, []


def _convert(row, raw, levels, fields, orgs, forms, statuses) -> None:
    values = row.values
    for name in (
        "code",
        "title",
        "title_en",
        "managing_agency",
        "objectives",
        "content",
        "methods",
        "expected_products",
        "abstract",
        "decision_number",
        "contract_number",
    ):
        values[name] = normalize(str(raw.get(name) or ""))
    for name in REQUIRED:
        if not raw.get(name):
            row.errors.append(
                _("Thiếu “%(f)s”.") % {"f": str(Task._meta.get_field(name).verbose_name)}
            )
    host_name = normalize(str(raw.get("host") or ""))
    if host_name:
        values["host"] = orgs.get(fold_lower(host_name))
        if values["host"] is None:
            row.errors.append(_("Không tìm thấy tổ chức “%(o)s” trong danh bạ.") % {"o": host_name})
    if raw.get("level"):
        values["level"] = levels.get(fold_lower(str(raw["level"])))
        if values["level"] is None:
            row.errors.append(_("Cấp “%(v)s” không hợp lệ.") % {"v": raw["level"]})
    values["form"] = (
        forms.get(fold_lower(str(raw.get("form") or "")), TaskKind.TOPIC)
        if raw.get("form")
        else TaskKind.TOPIC
    )
    if raw.get("form") and fold_lower(str(raw["form"])) not in forms:
        row.errors.append(_("Hình thức “%(v)s” không hợp lệ.") % {"v": raw["form"]})
    status = TaskStatus.IN_PROGRESS
    if raw.get("status"):
        status = statuses.get(fold_lower(str(raw["status"])))
        if status is None:
            row.errors.append(_("Trạng thái “%(v)s” không hợp lệ.") % {"v": raw["status"]})
    values["status"] = status or TaskStatus.IN_PROGRESS
    for code in [
        c.strip() for c in str(raw.get("fields") or "").replace(";", ",").split(",") if c.strip()
    ]:
        if code in fields:
            row.fields.append(fields[code])
        else:
            row.errors.append(_("Mã lĩnh vực “%(c)s” không có trong bảng phân loại.") % {"c": code})
    for name in ("planned_start", "planned_end"):
        try:
            values[name] = _date(raw.get(name))
        except ValueError:
            row.errors.append(
                _("Ngày “%(v)s” không đúng định dạng dd/mm/yyyy.") % {"v": raw.get(name)}
            )
    if (
        values.get("planned_start")
        and values.get("planned_end")
        and values["planned_end"] < values["planned_start"]
    ):
        row.errors.append(_("Ngày kết thúc trước ngày bắt đầu."))
    for name in ("total_budget", "state_budget"):
        try:
            values[name] = _decimal(raw.get(name))
        except ValueError:
            row.errors.append(_("Kinh phí “%(v)s” không phải là số.") % {"v": raw.get(name)})
    values["is_confidential"] = fold_lower(str(raw.get("is_confidential") or "")) in {
        "x",
        "co",
        "mat",
        "1",
        "true",
    }
    principal = normalize(str(raw.get("principal") or ""))
    if principal:
        person = Researcher.objects.filter(name_folded=fold_lower(principal)).first()
        values["principal"], values["principal_name"] = person, "" if person else principal


def import_rows(actor, rows: list[ParsedRow]) -> list[Task]:
    """Write every row or none: one bad row refuses the whole file."""
    if any(row.errors for row in rows):
        raise ValueError(_("Tệp còn dòng lỗi; chưa ghi dữ liệu nào."))
    created = []
    with transaction.atomic():
        for row in rows:
            task = Task(created_by=actor, **row.values)
            task.full_clean(exclude=["fields", "documents"])
            task.save()
            task.fields.set(row.fields)
            created.append(task)
        for task in created:
            audit.record(actor, AuditAction.IMPORT, task, note=_("Nhập nhiệm vụ từ bảng tính"))
        from sti.projects.services import _refresh_similarity_on_commit

        _refresh_similarity_on_commit()
    return created


# ---------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------
PUBLIC_ONGOING_COLUMNS = [
    ("title", "Tên nhiệm vụ"),
    ("host", "Tổ chức chủ trì"),
    ("principal", "Chủ nhiệm"),
    ("objectives", "Mục tiêu"),
    ("content", "Nội dung chính"),
    ("fields", "Lĩnh vực"),
    ("methods", "Phương pháp"),
    ("expected_products", "Kết quả dự kiến"),
    ("planned_start", "Bắt đầu (dự kiến)"),
    ("planned_end", "Kết thúc (dự kiến)"),
    ("status", "Trạng thái"),
]
RESULT_COLUMNS = [
    ("code", "Mã số"),
    ("level", "Cấp"),
    ("form", "Hình thức"),
    ("abstract", "Tóm tắt kết quả"),
    ("accepted_on", "Ngày nghiệm thu"),
    ("rating", "Xếp loại"),
    ("archive_number", "Số hồ sơ lưu"),
]
FORM1_EXTRA = [
    ("code", "Mã số"),
    ("level", "Cấp"),
    ("form", "Hình thức"),
    ("research_type", "Loại hình nghiên cứu"),
    ("managing_agency", "Cơ quan chủ quản"),
    ("members", "Thành viên"),
    ("total_budget", "Tổng kinh phí (triệu đồng)"),
    ("state_budget", "Kinh phí NSNN (triệu đồng)"),
    ("decision_number", "Số quyết định"),
    ("contract_number", "Số hợp đồng"),
]
FORM12_COLUMNS = [
    ("code", "Mã số"),
    ("title", "Tên nhiệm vụ"),
    ("host", "Tổ chức chủ trì"),
    ("year", "Năm"),
    ("place", "Nơi ứng dụng"),
    ("form", "Hình thức ứng dụng"),
    ("scale", "Quy mô"),
    ("effect", "Hiệu quả KT-XH"),
]


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _task_rows(tasks, *, full: bool) -> list[dict]:
    passed = Q(acceptances__rating__in=[AcceptanceRating.PASSED, AcceptanceRating.EXCELLENT])
    tasks = (
        tasks.select_related("host", "principal", "level", "registration")
        .prefetch_related("fields", Prefetch("members"))
        .annotate(
            accepted_on=Max("acceptances__date", filter=passed),
            best_rating=Max("acceptances__rating"),
        )
    )
    rows = []
    for task in tasks:
        row = {
            "title": task.title,
            "host": task.host.name,
            "principal": task.principal_display,
            "objectives": task.objectives,
            "content": task.content,
            "fields": "; ".join(f.code for f in task.fields.all()),
            "methods": task.methods,
            "expected_products": task.expected_products,
            "planned_start": task.planned_start,
            "planned_end": task.planned_end,
            "status": str(task.get_status_display()),
        }
        if full or task.is_completed:
            registration = getattr(task, "registration", None)
            row.update(
                {
                    "code": task.code,
                    "level": task.level.name if task.level_id else "",
                    "form": str(task.get_form_display()),
                    "abstract": task.abstract,
                    "accepted_on": task.accepted_on,
                    "rating": str(AcceptanceRating(task.best_rating).label)
                    if task.best_rating
                    else "",
                    "archive_number": registration.archive_number if registration else "",
                }
            )
        if full:
            row.update(
                {
                    "research_type": str(task.get_research_type_display()),
                    "managing_agency": task.managing_agency,
                    "members": "; ".join(
                        f"{m.display_name} ({m.get_role_display()})" for m in task.members.all()
                    ),
                    "total_budget": task.total_budget,
                    "state_budget": task.state_budget,
                    "decision_number": task.decision_number,
                    "contract_number": task.contract_number,
                }
            )
        rows.append({key: _plain(value) for key, value in row.items()})
    return rows


def public_dataset(tasks):
    """Public tasks: Art. 23 §2 fields for all, results for the completed ones."""
    return PUBLIC_ONGOING_COLUMNS + RESULT_COLUMNS, _task_rows(tasks.public(), full=False)


def form1_dataset(tasks):
    """Mẫu 1: ongoing tasks with every field (for the national database; editors only)."""
    return PUBLIC_ONGOING_COLUMNS + FORM1_EXTRA, _task_rows(tasks.ongoing(), full=True)


def form12_dataset(year: int | None = None):
    applications = ResultApplication.objects.select_related("task__host").order_by(
        "task__code", "year"
    )
    if year:
        applications = applications.filter(year=year)
    rows = [
        {
            "code": a.task.code,
            "title": a.task.title,
            "host": a.task.host.name,
            "year": a.year,
            "place": a.place,
            "form": str(a.get_form_display()),
            "scale": a.scale,
            "effect": a.effect,
        }
        for a in applications
    ]
    return FORM12_COLUMNS, rows


def render(columns, rows, fmt: str) -> tuple[bytes, str]:
    """(content, content type) of the rows in json, csv or xlsx."""
    keys = [key for key, _label in columns]
    if fmt == "json":
        data = [{key: row.get(key, "") for key in keys} for row in rows]
        return json.dumps(data, ensure_ascii=False, indent=1).encode(
            "utf-8"
        ), "application/json; charset=utf-8"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([label for _key, label in columns])
        for row in rows:
            writer.writerow([row.get(key, "") for key in keys])
        # The BOM lets Excel open Vietnamese CSV as UTF-8.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Nhiệm vụ")
    sheet.append([label for _key, label in columns])
    for row in rows:
        sheet.append([row.get(key, "") for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
