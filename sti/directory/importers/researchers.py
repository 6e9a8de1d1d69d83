"""Import researchers: one row per person, matched by ORCID, e-mail, or name + year + organization."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sti.core.text import fold_lower
from sti.directory.choices import AcademicTitle, Degree, Gender
from sti.directory.forms import ResearcherForm
from sti.directory.importers.base import BaseImporter, Column, by_pk, parse_bool, parse_phone
from sti.directory.models import Organization, Researcher


class ResearcherImporter(BaseImporter):
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
