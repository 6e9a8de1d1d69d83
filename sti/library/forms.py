"""Forms of the library: cataloguing, deposit, upload, review, batch import."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFormMixin
from sti.core.imports import check_size
from sti.core.models import FieldOfScience
from sti.library.choices import AccessLevel
from sti.library.models import Collection, Document
from sti.library.services import DOCUMENT_FIELDS


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class DocumentForm(StyledFormMixin, forms.ModelForm):
    """The catalogue record (editors)."""

    creators_text = forms.CharField(
        label=_("Tác giả"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một tác giả, theo thứ tự."),
    )
    contributors_text = forms.CharField(
        label=_("Người đóng góp"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một người (biên tập, hướng dẫn, phản biện…)."),
    )

    class Meta:
        model = Document
        fields = [*DOCUMENT_FIELDS, "fields", "collections", "organizations"]
        widgets = {
            "abstract": forms.Textarea(attrs={"rows": 6}),
            "issued": forms.DateInput(attrs={"type": "date"}),
            "embargo_until": forms.DateInput(attrs={"type": "date"}),
            "fields": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].queryset = FieldOfScience.objects.current()
        self.fields["collections"].queryset = Collection.objects.all()
        if self.instance.pk:
            self.fields["creators_text"].initial = "\n".join(self.instance.creator_names("creator"))
            self.fields["contributors_text"].initial = "\n".join(
                self.instance.creator_names("contributor")
            )

    def clean(self):
        data = super().clean()
        if data.get("access") == AccessLevel.EMBARGOED and not data.get("embargo_until"):
            self.add_error("embargo_until", _("Hãy cho biết ngày hết hạn chế."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "creators": _lines(data.get("creators_text")),
            "contributors": _lines(data.get("contributors_text")),
            "fields": list(data.get("fields") or []),
            "collections": list(data.get("collections") or []),
            "organizations": list(data.get("organizations") or []),
        }

    def document_data(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in DOCUMENT_FIELDS
            if name in self.cleaned_data
        }


class DepositForm(StyledFormMixin, forms.ModelForm):
    """What a researcher fills in to deposit a report."""

    creators_text = forms.CharField(
        label=_("Tác giả"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một tác giả, theo thứ tự."),
    )
    file = forms.FileField(label=_("Tệp toàn văn (PDF, DOCX hoặc ảnh quét)"), required=False)

    class Meta:
        model = Document
        fields = [
            "title",
            "abstract",
            "keywords",
            "source_type",
            "year",
            "publisher",
            "language",
            "access",
            "fields",
        ]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].queryset = FieldOfScience.objects.current()
        self.fields["access"].choices = [
            (AccessLevel.PUBLIC, AccessLevel.PUBLIC.label),
            (AccessLevel.REGISTERED, AccessLevel.REGISTERED.label),
        ]


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp (PDF, DOCX hoặc ảnh quét)"),
    )


class ReviewForm(StyledFormMixin, forms.Form):
    DECISIONS = [
        ("accept", _("Chấp nhận và công bố")),
        ("return", _("Trả lại để bổ sung")),
        ("reject", _("Từ chối")),
    ]
    decision = forms.ChoiceField(label=_("Quyết định"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _SizeLimitedImport:
    """Staged import files are checked against the upload limit before they touch the disk
    (a ZIP of full texts may be ten times larger)."""

    def _limited(self, name: str, factor: int = 1):
        upload = self.cleaned_data.get(name)
        if upload:
            check_size(upload, settings.STI_MAX_UPLOAD_MB * factor * 1024 * 1024)
        return upload


class BatchImportForm(_SizeLimitedImport, StyledFormMixin, forms.Form):
    metadata = forms.FileField(
        label=_("Bảng dữ liệu (CSV UTF-8 hoặc Excel .xlsx)"),
    )
    files = forms.FileField(
        label=_("Tệp ZIP chứa các tệp toàn văn (tùy chọn)"),
        required=False,
    )

    def clean_metadata(self):
        return self._limited("metadata")

    def clean_files(self):
        return self._limited("files", factor=10)


class MarcImportForm(_SizeLimitedImport, StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp MARC21 (ISO 2709 .mrc hoặc MARCXML .xml)"),
    )
    collection = forms.ModelChoiceField(
        label=_("Đưa vào bộ sưu tập"),
        queryset=Collection.objects.all(),
        required=False,
    )

    def clean_file(self):
        return self._limited("file")
