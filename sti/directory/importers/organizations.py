"""Import organizations (tổ chức KH&CN): one row per organization, matched by identifier or name."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sti.core.models import AdminUnit
from sti.core.text import fold_lower
from sti.directory.choices import EconomicSector, FoundingAuthority, OrganizationKind
from sti.directory.forms import OrganizationForm
from sti.directory.importers.base import BaseImporter, Column, by_pk, parse_date, parse_phone
from sti.directory.models import Organization


class OrganizationImporter(BaseImporter):
    kind = "organization"
    slug = "to-chuc"
    title = _("Nhập danh sách tổ chức KH&CN")
    form_class = OrganizationForm
    columns = [
        Column("name", "Tên tổ chức", required=True, example="Trường Đại học Cần Thơ", width=40),
        Column("abbreviation", "Tên viết tắt", example="ĐHCT", width=14),
        Column("name_en", "Tên tiếng Anh", example="Can Tho University", width=30),
        Column(
            "identifier",
            "Mã định danh / MST",
            note=_(
                "Mã định danh điện tử hoặc mã số thuế; "
                "nếu trùng một tổ chức đã có, dòng này sẽ cập nhật tổ chức đó."
            ),
            example="1800000000",
            width=16,
        ),
        Column(
            "kind",
            "Loại hình tổ chức",
            required=True,
            choices=OrganizationKind,
            example="Trường đại học, học viện",
            width=28,
        ),
        Column("sector", "Loại hình kinh tế", choices=EconomicSector, example="Nhà nước", width=18),
        Column(
            "address",
            "Địa chỉ",
            example="Khu II, đường 3/2, phường Ninh Kiều, TP. Cần Thơ",
            width=40,
        ),
        Column(
            "admin_unit",
            "Đơn vị hành chính",
            note=_("Mã hoặc tên đơn vị hành chính."),
            example="92",
            width=20,
        ),
        Column(
            "phone",
            "Điện thoại",
            note=_("Định dạng ô là văn bản để giữ số 0 đầu."),
            example="0292 3832 663",
            width=16,
        ),
        Column("email", "Thư điện tử", example="dhct@ctu.edu.vn", width=24),
        Column("website", "Trang web", example="https://www.ctu.edu.vn", width=24),
        Column("founding_decision_number", "Số QĐ thành lập", example="62/CP", width=16),
        Column(
            "founding_decision_date",
            "Ngày QĐ thành lập",
            note=_("dd/mm/yyyy"),
            example="31/03/1966",
            width=16,
        ),
        Column(
            "founding_authority",
            "Cấp ra QĐ thành lập",
            choices=FoundingAuthority,
            example="8.2",
            width=28,
        ),
        Column("st_certificate_number", "Số GCN hoạt động KH&CN", example="", width=18),
        Column(
            "fields",
            "Lĩnh vực",
            note=_("Mã lĩnh vực KH&CN, cách nhau bằng dấu phẩy."),
            example="401, 405",
            width=16,
        ),
        Column("description", "Giới thiệu", example="", width=40),
    ]

    def prepare(self) -> None:
        self.by_identifier: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        for pk, identifier, name in Organization.objects.values_list("pk", "identifier", "name"):
            if identifier:
                self.by_identifier[identifier] = pk
            self.by_name.setdefault(fold_lower(name), []).append(pk)
        self.units = {}
        units = list(AdminUnit.objects.select_related("version").order_by("version__is_current"))
        self.known["admin_unit"] = by_pk(units)
        for unit in units:
            # Current-version units are read last, so they win a code or name shared by versions.
            self.units[unit.code] = unit.pk
            self.units[fold_lower(unit.name)] = unit.pk
        self.seen_identifiers: dict[str, int] = {}
        self.seen_names: dict[str, int] = {}

    def convert(self, row: dict, errors: list) -> dict:
        values = {
            key: row.get(key, "")
            for key in (
                "name",
                "abbreviation",
                "name_en",
                "address",
                "email",
                "website",
                "founding_decision_number",
                "st_certificate_number",
                "description",
            )
        }
        values["identifier"] = row.get("identifier", "").replace(" ", "")
        values["kind"] = self.convert_choice(self.column("kind"), row.get("kind", ""), errors)
        values["sector"] = self.convert_choice(self.column("sector"), row.get("sector", ""), errors)
        values["founding_authority"] = self.convert_choice(
            self.column("founding_authority"), row.get("founding_authority", ""), errors
        )
        values["founding_decision_date"] = parse_date(
            row.get("founding_decision_date", ""),
            errors,
            "founding_decision_date",
            "Ngày QĐ thành lập",
        )
        values["phone"] = parse_phone(row.get("phone", ""))
        values["fields"] = self.convert_fields(row.get("fields", ""), errors)
        unit = row.get("admin_unit", "")
        values["admin_unit"] = ""
        if unit:
            pk = self.units.get(unit) or self.units.get(fold_lower(unit))
            if pk is None:
                errors.append(
                    (
                        "admin_unit",
                        gettext("Đơn vị hành chính: không tìm thấy “%(value)s”.") % {"value": unit},
                    )
                )
            values["admin_unit"] = pk or ""
        return values

    def match(self, number: int, values: dict, errors: list):
        identifier, name_key = values["identifier"], fold_lower(values["name"])
        if identifier:
            if identifier in self.seen_identifiers:
                errors.append(
                    (
                        "identifier",
                        gettext("Mã định danh %(value)s trùng với dòng %(other)s.")
                        % {"value": identifier, "other": self.seen_identifiers[identifier]},
                    )
                )
                return None
            self.seen_identifiers[identifier] = number
            pk = self.by_identifier.get(identifier)
            return Organization.objects.get(pk=pk) if pk else None
        if name_key in self.seen_names:
            errors.append(
                (
                    "name",
                    gettext("Tên tổ chức trùng với dòng %(other)s.")
                    % {"other": self.seen_names[name_key]},
                )
            )
            return None
        self.seen_names[name_key] = number
        existing = self.by_name.get(name_key, [])
        if len(existing) > 1:
            errors.append(
                (
                    "name",
                    gettext("Có %(n)s tổ chức cùng tên trong cơ sở dữ liệu; hãy ghi mã định danh.")
                    % {"n": len(existing)},
                )
            )
            return None
        return Organization.objects.get(pk=existing[0]) if existing else None

    def label(self, values: dict) -> str:
        return values["name"]

    def detail(self, values: dict) -> str:
        return " · ".join(part for part in (values["abbreviation"], values["identifier"]) if part)
