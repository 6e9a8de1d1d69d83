"""Import organizations and researchers from Excel (.xlsx), on the shared importer.

Every row is validated through the editor form (the same rules as the edit pages and the
API); on confirmation `services.apply_import` writes all rows in one transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sti.core.imports import (
    Column,
    ImportResult,
    PreviewRow,
    SpreadsheetImporter,
    by_pk,
    parse_bool,
    parse_date,
    parse_phone,
)
from sti.core.models import AdminUnit
from sti.core.text import fold_lower
from sti.directory import services
from sti.directory.choices import (
    AcademicTitle,
    Degree,
    EconomicSector,
    FoundingAuthority,
    Gender,
    OrganizationKind,
)
from sti.directory.forms import OrganizationForm, ResearcherForm, data_from_instance
from sti.directory.models import Organization, Researcher
from sti.directory.services import PlannedRecord


class DirectoryImporter(SpreadsheetImporter):
    """Rows validated through the editor form; an existing record matched by the subclass
    is updated, any other row creates one."""

    form_class: type

    def parse_row(self, number: int, row: dict, result: ImportResult) -> None:
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
        if not self.add_row(result, number, values, errors) or not valid:
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

    def apply(self, actor, result: ImportResult, *, filename: str = "") -> dict:
        """Every row through the create/update services, then the import's own audit row,
        in one transaction."""
        with transaction.atomic():
            counts = services.apply_import(
                self.kind, result.records, actor=actor, filename=filename
            )
            first = result.records[0]
            anchor = first.instance or self.form_class._meta.model.objects.latest("pk")
            self.audit_import(actor, anchor, len(result.records), filename)
        return counts

    def match(self, number: int, values: dict, errors: list):
        raise NotImplementedError

    def convert(self, row: dict, errors: list) -> dict:
        raise NotImplementedError

    def label(self, values: dict) -> str:
        raise NotImplementedError

    def detail(self, values: dict) -> str:
        return ""


# ---------------------------------------------------------------------------
# Organizations: one row per organization, matched by identifier or name
# ---------------------------------------------------------------------------
class OrganizationImporter(DirectoryImporter):
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


# ---------------------------------------------------------------------------
# Researchers: one row per person, matched by ORCID, e-mail, or name + year + organization
# ---------------------------------------------------------------------------
class ResearcherImporter(DirectoryImporter):
    kind = "researcher"
    slug = "nha-khoa-hoc"
    title = _("Nhập danh sách nhà khoa học")
    form_class = ResearcherForm
    columns = [
        Column("full_name", "Họ và tên", required=True, example="Nguyễn Văn Đức", width=28),
        Column("gender", "Giới tính", choices=Gender, example="Nam", width=10),
        Column("birth_year", "Năm sinh", example="1978", width=10),
        Column("ethnicity", "Dân tộc", example="Kinh", width=10),
        Column("degree", "Học vị", choices=Degree, example="TS", width=12),
        Column("academic_title", "Học hàm", choices=AcademicTitle, example="PGS", width=12),
        Column("position", "Chức danh, chức vụ", example="Giảng viên chính", width=22),
        Column(
            "organization",
            "Tổ chức",
            note=_("Tên đầy đủ, tên viết tắt hoặc mã định danh của một tổ chức đã có."),
            example="Trường Đại học Cần Thơ",
            width=34,
        ),
        Column(
            "fields",
            "Lĩnh vực",
            note=_("Mã lĩnh vực KH&CN, cách nhau bằng dấu phẩy."),
            example="405",
            width=12,
        ),
        Column(
            "expertise",
            "Từ khóa chuyên môn",
            note=_("Cách nhau bằng dấu phẩy."),
            example="cá tra, bệnh thủy sản",
            width=34,
        ),
        Column(
            "email",
            "Thư điện tử",
            note=_("Nếu trùng một nhà khoa học đã có, dòng này sẽ cập nhật hồ sơ đó."),
            example="nvduc@ctu.edu.vn",
            width=24,
        ),
        Column("phone", "Điện thoại", example="0912345678", width=14),
        Column(
            "orcid",
            "ORCID",
            note=_("Nếu trùng một nhà khoa học đã có, dòng này sẽ cập nhật hồ sơ đó."),
            example="0000-0002-1825-0097",
            width=20,
        ),
        Column("bio", "Tóm tắt lý lịch khoa học", example="", width=40),
        Column("is_public", "Công khai", note=_("Có/Không"), example="Có", width=10),
        Column("is_expert", "Chuyên gia", note=_("Có/Không"), example="Không", width=10),
    ]

    def prepare(self) -> None:
        self.orgs_by_identifier, self.orgs_by_key, self.org_names = {}, {}, []
        organizations = list(Organization.objects.only("id", "identifier", "name", "abbreviation"))
        self.known["organization"] = by_pk(organizations)
        for organization in organizations:
            pk, identifier = organization.pk, organization.identifier
            name, abbreviation = organization.name, organization.abbreviation
            if identifier:
                self.orgs_by_identifier[identifier] = pk
            self.orgs_by_key.setdefault(fold_lower(name), set()).add(pk)
            self.org_names.append((fold_lower(name), pk))
            if abbreviation:
                self.orgs_by_key.setdefault(fold_lower(abbreviation), set()).add(pk)
        self.by_orcid, self.by_email, self.by_person = {}, {}, {}
        for pk, orcid, email, name_folded, org_id, year in Researcher.objects.values_list(
            "pk", "orcid", "email", "name_folded", "organization_id", "birth_year"
        ):
            if orcid:
                self.by_orcid[orcid.upper()] = pk
            if email:
                self.by_email[email.lower()] = pk
            self.by_person.setdefault((name_folded, org_id, year), []).append(pk)
        self.seen: dict[tuple[str, str], int] = {}

    def convert(self, row: dict, errors: list) -> dict:
        values = {
            key: row.get(key, "")
            for key in ("full_name", "ethnicity", "position", "expertise", "bio")
        }
        values["email"] = row.get("email", "").lower()
        values["orcid"] = row.get("orcid", "").upper()
        values["phone"] = parse_phone(row.get("phone", ""))
        for key in ("gender", "degree", "academic_title"):
            values[key] = self.convert_choice(self.column(key), row.get(key, ""), errors)
        year = row.get("birth_year", "")
        values["birth_year"] = ""
        if year:
            if year.isdigit():
                values["birth_year"] = int(year)
            else:
                errors.append(
                    (
                        "birth_year",
                        gettext("Năm sinh: “%(value)s” không phải một năm.") % {"value": year},
                    )
                )
        for key, label in (("is_public", "Công khai"), ("is_expert", "Chuyên gia")):
            values[key] = parse_bool(row.get(key, ""), errors, key, label)
        values["fields"] = self.convert_fields(row.get("fields", ""), errors)
        values["organization"] = ""
        organization = row.get("organization", "")
        if organization:
            pk = self.orgs_by_identifier.get(organization.replace(" ", ""))
            if pk is None:
                key = fold_lower(organization)
                candidates = self.orgs_by_key.get(key, set())
                if not candidates:
                    # "dai hoc can tho" for "Trường Đại học Cần Thơ", if only one name fits.
                    candidates = {pk for name, pk in self.org_names if key in name}
                if len(candidates) > 1:
                    errors.append(
                        (
                            "organization",
                            gettext(
                                "Tổ chức: “%(value)s” ứng với nhiều tổ chức; "
                                "hãy ghi tên đầy đủ hoặc mã định danh."
                            )
                            % {"value": organization},
                        )
                    )
                elif not candidates:
                    errors.append(
                        (
                            "organization",
                            gettext("Tổ chức: không tìm thấy “%(value)s” trong danh bạ.")
                            % {"value": organization},
                        )
                    )
                else:
                    pk = next(iter(candidates))
            values["organization"] = pk or ""
        return values

    def match(self, number: int, values: dict, errors: list):
        for key, label in (("orcid", "ORCID"), ("email", gettext("Thư điện tử"))):
            value = values[key]
            if value and (key, value) in self.seen:
                errors.append(
                    (
                        key,
                        gettext("%(column)s %(value)s trùng với dòng %(other)s.")
                        % {"column": label, "value": value, "other": self.seen[(key, value)]},
                    )
                )
                return None
        for key in ("orcid", "email"):
            if values[key]:
                self.seen[(key, values[key])] = number
        pk = None
        if values["orcid"]:
            pk = self.by_orcid.get(values["orcid"])
        if pk is None and values["email"]:
            pk = self.by_email.get(values["email"])
        if pk is None and not values["orcid"] and not values["email"]:
            key = (
                fold_lower(values["full_name"]),
                values["organization"] or None,
                values["birth_year"] or None,
            )
            existing = self.by_person.get(key, [])
            if len(existing) > 1:
                errors.append(
                    (
                        "full_name",
                        gettext(
                            "Có %(n)s nhà khoa học cùng họ tên, năm sinh và tổ chức; "
                            "hãy ghi thư điện tử hoặc ORCID."
                        )
                        % {"n": len(existing)},
                    )
                )
                return None
            pk = existing[0] if existing else None
            person_key = ("person", repr(key))
            if person_key in self.seen:
                errors.append(
                    (
                        "full_name",
                        gettext("Nhà khoa học trùng với dòng %(other)s.")
                        % {"other": self.seen[person_key]},
                    )
                )
                return None
            self.seen[person_key] = number
        return Researcher.objects.get(pk=pk) if pk else None

    def label(self, values: dict) -> str:
        return values["full_name"]

    def detail(self, values: dict) -> str:
        return " · ".join(
            str(part) for part in (values["degree"], values["email"], values["orcid"]) if part
        )


IMPORTERS: dict[str, type[DirectoryImporter]] = {
    OrganizationImporter.slug: OrganizationImporter,
    ResearcherImporter.slug: ResearcherImporter,
}
