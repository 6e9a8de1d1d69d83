"""What every importer shares: reading cells, the template workbook, row-by-row validation
through the editor form, and the result shown on the preview page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sti.core.models import FieldOfScience
from sti.core.text import fold_lower, normalize
from sti.directory.forms import data_from_instance
from sti.directory.services import PlannedRecord

# Validation and the all-or-nothing write run inside the request. Measured on the shared
# 2-core test machine (load ~3): 3,000 researcher rows validate in 3.9 s and are written in
# 4.7 s; confirming validates again, so 5,000 rows confirm in about 15 s, inside a 30-second
# web worker timeout. Larger lists are split into several files.
MAX_ROWS = 5000


# ---------------------------------------------------------------------------
# Cell values
# ---------------------------------------------------------------------------
def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return normalize(str(value))


@lru_cache(maxsize=32)
def choice_lookup(choices: type[TextChoices]) -> dict[str, str]:
    """Folded Vietnamese label, English label or code → code."""
    lookup = {}
    for value, label in choices.choices:
        lookup[fold_lower(value)] = value
        for language in ("vi", "en"):
            with translation.override(language):
                lookup[fold_lower(str(label))] = value
    return lookup


def choice_help(choices: type[TextChoices]) -> str:
    with translation.override("vi"):
        return "; ".join(f"{value} = {label}" for value, label in choices.choices)


YES = {"co", "x", "1", "yes", "true", "dung", "c"}
NO = {"khong", "0", "no", "false", "k", "sai"}


def by_pk(objects) -> dict[str, object]:
    return {str(obj.pk): obj for obj in objects}


@dataclass
class Column:
    key: str
    header: str
    required: bool = False
    note: str = ""
    example: str = ""
    choices: type[TextChoices] | None = None
    width: int = 22


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return gettext("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class PreviewRow:
    row: int
    action: str
    label: str
    detail: str = ""
    changed: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    records: list[PlannedRecord] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors and bool(self.records)

    @property
    def created(self) -> int:
        return sum(1 for record in self.records if record.instance is None)

    @property
    def updated(self) -> int:
        return sum(1 for record in self.records if record.instance is not None)


# ---------------------------------------------------------------------------
# Importers
# ---------------------------------------------------------------------------
class BaseImporter:
    kind: str
    slug: str
    title: str
    form_class: type
    columns: list[Column]

    def __init__(self):
        self.fields_by_code = {f.code: f for f in FieldOfScience.objects.current()}
        # Objects the forms validate choices against, loaded once per file (`prepare`).
        self.known = {"fields": by_pk(self.fields_by_code.values())}

    # -- template ----------------------------------------------------------
    def template_bytes(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.comments import Comment
        from openpyxl.styles import Font, PatternFill
        from openpyxl.worksheet.datavalidation import DataValidation

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Dữ liệu"
        lists = workbook.create_sheet("Danh mục")
        guide = workbook.create_sheet("Hướng dẫn")
        header_fill = PatternFill("solid", fgColor="0B4F8A")
        list_column = 0
        for index, column in enumerate(self.columns, start=1):
            cell = sheet.cell(
                row=1, column=index, value=column.header + (" *" if column.required else "")
            )
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = header_fill
            if column.note:
                cell.comment = Comment(str(column.note), "STI")
            letter = cell.column_letter
            sheet.column_dimensions[letter].width = column.width
            if column.choices is not None:
                list_column += 1
                with translation.override("vi"):
                    labels = [str(label) for _value, label in column.choices.choices]
                lists.cell(row=1, column=list_column, value=column.header).font = Font(bold=True)
                for offset, label in enumerate(labels, start=2):
                    lists.cell(row=offset, column=list_column, value=label)
                list_letter = lists.cell(row=1, column=list_column).column_letter
                validation = DataValidation(
                    type="list",
                    formula1=f"='Danh mục'!${list_letter}$2:${list_letter}${len(labels) + 1}",
                    allow_blank=True,
                    errorStyle="warning",
                )
                validation.error = str(_("Giá trị không có trong danh mục."))
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.freeze_panes = "A2"
        guide.column_dimensions["A"].width = 34
        guide.column_dimensions["B"].width = 90
        guide.column_dimensions["C"].width = 40
        guide.append([str(self.title)])
        guide["A1"].font = Font(bold=True, size=13)
        guide.append(
            [
                str(
                    _(
                        "Nhập mỗi dòng một bản ghi vào trang “Dữ liệu”, từ dòng 2. Cột có dấu * là bắt buộc. "
                        "Mọi dòng phải hợp lệ thì tệp mới được nhập."
                    )
                )
            ]
        )
        guide.append([])
        guide.append([str(_("Cột")), str(_("Cách ghi")), str(_("Ví dụ"))])
        for cell in guide[4]:
            cell.font = Font(bold=True)
        for column in self.columns:
            note = str(column.note)
            if column.choices is not None:
                note = (note + " " if note else "") + choice_help(column.choices)
            guide.append([column.header + (" *" if column.required else ""), note, column.example])
        guide.append([])
        guide.append([str(_("Mã lĩnh vực KH&CN hiện hành")), ""])
        for code, item in sorted(self.fields_by_code.items()):
            guide.append([code, item.name])
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    # -- parsing -------------------------------------------------------------
    def parse(self, source) -> ImportResult:
        """Validate every row of a workbook (a path or a file object); writes nothing."""
        from openpyxl import load_workbook

        result = ImportResult()
        try:
            workbook = load_workbook(source, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds of errors on damaged files
            result.file_errors.append(gettext("Không đọc được tệp Excel; tệp có thể bị hỏng."))
            return result
        try:
            sheet = (
                workbook["Dữ liệu"] if "Dữ liệu" in workbook.sheetnames else workbook.worksheets[0]
            )
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            positions = self._header_positions(header or (), result)
            if result.file_errors:
                return result
            self.prepare()
            count = 0
            for number, values in enumerate(rows, start=2):
                if not values or all(cell_text(value) == "" for value in values):
                    continue
                count += 1
                if count > MAX_ROWS:
                    result.file_errors.append(
                        gettext("Tệp có hơn %(max)s dòng dữ liệu; hãy chia thành nhiều tệp.")
                        % {"max": MAX_ROWS}
                    )
                    return result
                row = {
                    key: cell_text(values[index]) if index < len(values) else ""
                    for key, index in positions.items()
                }
                self._parse_row(number, row, result)
        finally:
            workbook.close()
        if not result.records and not result.errors and not result.file_errors:
            result.file_errors.append(gettext("Tệp không có dòng dữ liệu nào."))
        return result

    def _header_positions(self, header, result: ImportResult) -> dict[str, int]:
        by_header = {fold_lower(column.header): column for column in self.columns}
        by_header.update({fold_lower(column.key): column for column in self.columns})
        positions = {}
        for index, value in enumerate(header):
            key = fold_lower(cell_text(value).rstrip("*").strip())
            column = by_header.get(key)
            if column is not None and column.key not in positions:
                positions[column.key] = index
        missing = [
            column.header
            for column in self.columns
            if column.required and column.key not in positions
        ]
        if missing:
            result.file_errors.append(
                gettext("Thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu.")
                % {"columns": ", ".join(missing)}
            )
        return positions

    def _parse_row(self, number: int, row: dict, result: ImportResult) -> None:
        errors: list[tuple[str, str]] = []  # (column key, message)
        values = self.convert(row, errors)
        instance = self.match(number, values, errors)
        # An empty cell keeps the stored value on an update (a file may carry a few columns)
        # and the model's default on a creation.
        data = data_from_instance(self.form_class, instance or self.form_class._meta.model())
        data.update({key: value for key, value in values.items() if value not in ("", None, [])})
        form = self.form_class(data=data, instance=instance, known=self.known)
        valid = form.is_valid()
        reported = {key for key, _message in errors}
        for name, messages in form.errors.items():
            if name in reported:
                continue  # the conversion already said what is wrong with this cell
            label = form.fields[name].label if name in form.fields else ""
            errors.extend(
                (name, f"{label}: {message}" if label else message) for message in messages
            )
        if errors or not valid:
            result.errors.extend(RowError(number, message) for _key, message in errors)
            return
        result.records.append(
            PlannedRecord(
                row=number,
                data=form.service_data(),
                fields=list(form.cleaned_data["fields"]),
                instance=instance,
            )
        )
        changed = (
            [str(form.fields[name].label) for name in form.changed_data]
            if instance is not None
            else []
        )
        result.preview.append(
            PreviewRow(
                row=number,
                action="update" if instance else "create",
                label=self.label(values),
                detail=self.detail(values),
                changed=changed,
            )
        )

    # -- helpers for subclasses ----------------------------------------------
    def convert_choice(self, column: Column, raw: str, errors: list) -> str:
        if not raw:
            return ""
        value = choice_lookup(column.choices).get(fold_lower(raw))
        if value is None:
            errors.append(
                (
                    column.key,
                    gettext("%(column)s: “%(value)s” không có trong danh mục (%(allowed)s).")
                    % {
                        "column": column.header,
                        "value": raw,
                        "allowed": choice_help(column.choices),
                    },
                )
            )
            return ""
        return value

    def convert_fields(self, raw: str, errors: list) -> list[int]:
        pks = []
        for code in re.split(r"[,;\s]+", raw):
            code = code.strip().rstrip(".")
            if not code:
                continue
            item = self.fields_by_code.get(code)
            if item is None:
                errors.append(
                    (
                        "fields",
                        gettext("Lĩnh vực: mã “%(code)s” không có trong danh mục hiện hành.")
                        % {"code": code},
                    )
                )
            else:
                pks.append(item.pk)
        return pks

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def prepare(self) -> None:
        """Load what the rows are matched against (once per file, not once per row)."""

    def convert(self, row: dict, errors: list) -> dict:
        raise NotImplementedError

    def match(self, number: int, values: dict, errors: list):
        raise NotImplementedError

    def label(self, values: dict) -> str:
        raise NotImplementedError

    def detail(self, values: dict) -> str:
        return ""


def parse_date(raw: str, errors: list, key: str, label: str) -> str:
    if not raw:
        return ""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(raw, pattern).date().isoformat()
        except ValueError:
            continue
    errors.append(
        (
            key,
            gettext("%(column)s: “%(value)s” không phải ngày hợp lệ (dd/mm/yyyy).")
            % {"column": label, "value": raw},
        )
    )
    return ""


def parse_phone(raw: str) -> str:
    # A phone typed as a number loses its leading zero in Excel.
    if raw.isdigit() and len(raw) in (9, 10) and not raw.startswith("0"):
        return "0" + raw
    return raw


def parse_bool(raw: str, errors: list, key: str, label: str) -> bool | None:
    if not raw:
        return None
    key = fold_lower(raw)
    if key in YES:
        return True
    if key in NO:
        return False
    errors.append(
        (
            key,
            gettext("%(column)s: ghi “Có” hoặc “Không”, không phải “%(value)s”.")
            % {"column": label, "value": raw},
        )
    )
    return None
