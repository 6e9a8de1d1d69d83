"""Forms of the task registry pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core import uploads
from sti.core.forms import StyledFormMixin, confirmation_field, style_fields
from sti.core.models import FieldOfScience, TaskLevel
from sti.core.uploads import CheckedFileField
from sti.directory.models import Organization, Researcher
from sti.projects.choices import (
    AcceptanceRating,
    CatalogueKind,
    CouncilKind,
    CouncilRole,
    EvaluationVerdict,
    ProposalStatus,
    RegistrationFileKind,
    RegistrationStatus,
)
from sti.projects.lifecycle import PROPOSAL
from sti.projects.models import (
    Proposal,
    Publication,
    ResultApplication,
    ResultRegistration,
    Task,
)
from sti.projects.validators import (
    MIN_PUBLICATION_YEAR,
    REGISTRATION_FILE_TYPES,
    clean_doi,
    clean_issn,
    max_publication_year,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _host_queryset(user):
    if user.is_editor:
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=user.reporter_organization_ids())


class TaskForm(StyledFormMixin, forms.ModelForm):
    fields_ = forms.ModelMultipleChoiceField(
        label=_("Lĩnh vực KH&CN"),
        queryset=FieldOfScience.objects.current(),
        required=False,
    )

    class Meta:
        model = Task
        fields = [
            "code",
            "title",
            "title_en",
            "level",
            "form",
            "research_type",
            "assignment_mode",
            "host",
            "managing_agency",
            "principal",
            "principal_name",
            "objectives",
            "content",
            "methods",
            "expected_products",
            "abstract",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "total_budget",
            "state_budget",
            "other_budget",
            "decision_number",
            "contract_number",
            "is_confidential",
        ]
        widgets = {
            name: DATE for name in ("planned_start", "planned_end", "actual_start", "actual_end")
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = _host_queryset(user)
        self.fields["level"].queryset = TaskLevel.objects.filter(version__is_current=True)
        self.fields["principal"].queryset = Researcher.objects.visible_to(user)
        if self.instance.pk:
            self.fields["fields_"].initial = list(self.instance.fields.all())


class TransitionForm(StyledFormMixin, forms.Form):
    target = forms.CharField(widget=forms.HiddenInput)
    effective_date = forms.DateField(label=_("Ngày hiệu lực"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Ghi chú (số quyết định, lý do…)"), required=False, widget=forms.Textarea
    )


class ProgressCheckForm(StyledFormMixin, forms.Form):
    check_date = forms.DateField(label=_("Ngày kiểm tra"), widget=DATE, initial=timezone.localdate)
    findings = forms.CharField(label=_("Kết quả kiểm tra"), widget=forms.Textarea)
    on_schedule = forms.BooleanField(label=_("Đúng tiến độ"), required=False, initial=True)


class AcceptanceForm(StyledFormMixin, forms.Form):
    acceptance_date = forms.DateField(label=_("Ngày nghiệm thu"), widget=DATE)
    rating = forms.ChoiceField(label=_("Xếp loại"), choices=AcceptanceRating.choices)
    council = forms.ModelChoiceField(label=_("Hội đồng"), queryset=None, required=False)
    minutes = CheckedFileField(
        label=_("Biên bản nghiệm thu"), required=False, accept=uploads.DOCUMENTS
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea)

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = task.councils.all()


class RegistrationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ResultRegistration
        fields = [
            "status",
            "registration_number",
            "submitted_on",
            "issued_on",
            "certificate_number",
            "archive_number",
            "final_report",
            "note",
        ]
        widgets = {"submitted_on": DATE, "issued_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = RegistrationStatus.choices
        self.fields["final_report"].queryset = self.fields["final_report"].queryset.filter(
            tasks=self.instance.task
        )


class RegistrationFileForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại tệp"), choices=RegistrationFileKind.choices)
    file = CheckedFileField(label=_("Tệp"), accept=REGISTRATION_FILE_TYPES)
    description = forms.CharField(label=_("Mô tả"), required=False)


class ApplicationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ResultApplication
        fields = ["year", "place", "form", "scale", "effect"]


class ProposalForm(StyledFormMixin, forms.ModelForm):
    fields_ = forms.ModelMultipleChoiceField(
        label=_("Lĩnh vực KH&CN"),
        queryset=FieldOfScience.objects.current(),
        required=False,
    )

    class Meta:
        model = Proposal
        fields = [
            "title",
            "organization",
            "level",
            "urgency",
            "objectives",
            "content",
            "expected_results",
            "application_address",
            "estimated_budget",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from sti.projects.services import proposing_organization_ids

        allowed = proposing_organization_ids(user)
        organizations = Organization.objects.all()
        self.fields["organization"].queryset = (
            organizations if allowed is None else organizations.filter(pk__in=allowed)
        )
        self.fields["level"].queryset = TaskLevel.objects.filter(version__is_current=True)
        if self.instance.pk:
            self.fields["fields_"].initial = list(self.instance.fields.all())


class ProposalReviewForm(StyledFormMixin, forms.Form):
    target = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[
            (ProposalStatus.ADVISED, ProposalStatus.ADVISED.label),
            (ProposalStatus.ORDERED, ProposalStatus.ORDERED.label),
            (ProposalStatus.REJECTED, ProposalStatus.REJECTED.label),
        ],
    )
    note = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea)

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposal is not None:
            targets = [value for value, _label in self.fields["target"].choices]
            confirm = confirmation_field(PROPOSAL, proposal.status, targets)
            if confirm is not None:
                self.fields["confirmed"] = confirm
                style_fields({"confirmed": confirm})


class CouncilForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại hội đồng"), choices=CouncilKind.choices)
    decision_number = forms.CharField(label=_("Số quyết định thành lập"), required=False)
    meeting_date = forms.DateField(label=_("Ngày họp"), required=False, widget=DATE)

    def __init__(self, *args, slate, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = [
            (rec.researcher.pk, f"{rec.researcher.display_name} ({rec.score:.1f})")
            for rec in slate.ranked
        ]
        for index, rec in enumerate(slate.members):
            name = f"seat_{index}"
            self.fields[name] = forms.TypedChoiceField(
                label=rec.role_label,
                choices=[("", "—"), *candidates],
                coerce=int,
                required=False,
                initial=rec.researcher.pk,
            )
            self.fields[f"role_{index}"] = forms.CharField(
                widget=forms.HiddenInput, initial=rec.role
            )
        style_fields(self.fields)  # the seats are added after the mixin styled the form
        self.slate = slate

    def seats(self):
        by_pk = {rec.researcher.pk: rec for rec in self.slate.ranked}
        chosen = []
        for index in range(len(self.slate.members)):
            pk = self.cleaned_data.get(f"seat_{index}")
            role = self.cleaned_data.get(f"role_{index}") or CouncilRole.MEMBER
            if pk and pk in by_pk and pk not in {c[0].pk for c in chosen}:
                rec = by_pk[pk]
                chosen.append((rec.researcher, role, "; ".join(rec.reasons)))
        return chosen


class ConflictForm(StyledFormMixin, forms.Form):
    researcher = forms.ModelChoiceField(
        label=_("Chuyên gia"), queryset=Researcher.objects.experts()
    )
    reason = forms.CharField(label=_("Lý do"), max_length=300)


class EvaluationForm(StyledFormMixin, forms.Form):
    verdict = forms.ChoiceField(label=_("Kết luận"), choices=EvaluationVerdict.choices)
    score = forms.DecimalField(label=_("Điểm"), required=False, max_digits=5, decimal_places=2)
    comments = forms.CharField(label=_("Nhận xét"), required=False, widget=forms.Textarea)


class CatalogueForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("Năm"), min_value=1990, max_value=2100, initial=lambda: timezone.localdate().year
    )
    kind = forms.ChoiceField(label=_("Ấn phẩm"), choices=CatalogueKind.choices)


# ---------------------------------------------------------------------------
# Publications and IP filings of a task
# ---------------------------------------------------------------------------
class PublicationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Publication
        fields = [
            "kind",
            "title",
            "authors",
            "researchers",
            "venue",
            "issn",
            "year",
            "doi",
            "in_wos",
            "in_scopus",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["researchers"].queryset = Researcher.objects.visible_to(user).order_by(
            "full_name"
        )
        self.fields["researchers"].required = False
        self.fields["researchers"].help_text = _(
            "Tác giả có hồ sơ trong danh bạ nhà khoa học (dùng để tránh xung đột lợi ích khi lập hội đồng)."
        )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not MIN_PUBLICATION_YEAR <= year <= max_publication_year():
            raise ValidationError(
                _("Năm công bố phải từ %(a)s đến %(b)s.")
                % {"a": MIN_PUBLICATION_YEAR, "b": max_publication_year()}
            )
        return year

    def clean_doi(self):
        return clean_doi(self.cleaned_data["doi"])

    def clean_issn(self):
        return clean_issn(self.cleaned_data["issn"])
