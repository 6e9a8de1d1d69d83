"""Forms of the IP register, on the shared styling mixin."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFormMixin
from sti.directory.models import Organization
from sti.ip.access import can_file_for
from sti.ip.choices import FilingStatus
from sti.ip.models import Filing
from sti.projects.models import Task

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FilingForm(StyledFormMixin, forms.ModelForm):
    """Create (with its starting state) or edit a filing. The task is given by its code;
    a reporter chooses among the organizations they act for."""

    task_code = forms.CharField(
        label=_("Mã nhiệm vụ"),
        required=False,
        help_text=_("Nếu đơn là kết quả của một nhiệm vụ KH&CN."),
    )

    class Meta:
        model = Filing
        fields = [
            "kind",
            "title",
            "application_number",
            "filed_on",
            "applicant_organization",
            "applicant_name",
            "status",
            "grant_number",
            "granted_on",
        ]
        widgets = {"filed_on": DATE, "granted_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        organizations = Organization.objects.order_by("name")
        if not user.is_editor:
            organizations = organizations.filter(pk__in=user.reporter_organization_ids())
            self.fields["applicant_organization"].required = True
        self.fields["applicant_organization"].queryset = organizations
        if self.instance.pk:
            del self.fields["status"]  # states move through the buttons of the filing page
            if self.instance.task_id:
                self.initial.setdefault("task_code", self.instance.task.code)

    def clean_task_code(self):
        code = self.cleaned_data["task_code"].strip()
        if not code:
            return None
        task = Task.objects.visible_to(self.user).filter(code=code).first()
        if task is None:
            raise forms.ValidationError(
                _("Không tìm thấy nhiệm vụ có mã “%(code)s”.") % {"code": code}
            )
        return task

    def clean(self):
        data = super().clean()
        organization = data.get("applicant_organization")
        if organization is not None and not can_file_for(self.user, organization.pk):
            self.add_error("applicant_organization", _("Bạn không thể ghi đơn cho tổ chức này."))
        return data

    def service_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key != "task_code"}
        data["task"] = self.cleaned_data.get("task_code")
        return data


class MoveForm(StyledFormMixin, forms.Form):
    target = forms.ChoiceField(label=_("Trạng thái mới"), choices=FilingStatus.choices)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)
    grant_number = forms.CharField(label=_("Số văn bằng"), required=False, max_length=50)
    granted_on = forms.DateField(label=_("Ngày cấp văn bằng"), required=False, widget=DATE)
