"""Forms of the news app. They only validate input and hand plain values to the services;
the rules (who writes for which organization, image checks, alt text) live in the services,
so the API obeys them too."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core import registries
from sti.core.forms import StyledFormMixin
from sti.core.models import FieldOfScience
from sti.directory.models import Organization
from sti.news import access, links
from sti.news.choices import ArticleStatus, SeriesKind
from sti.news.models import Article, Category, Issue, Series


class FieldsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.name}"


def fields_field() -> FieldsField:
    return FieldsField(
        label=_("Lĩnh vực KH&CN"),
        queryset=FieldOfScience.objects.current().filter(level__lte=2).order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Giữ phím Ctrl (⌘ trên Mac) để chọn nhiều lĩnh vực."),
    )


class RefsField(forms.CharField):
    """ "document:12, task:5" → a list of links.Ref (the records are checked by the service)."""

    def to_python(self, value):
        text = super().to_python(value)
        return [links.parse_ref(part) for part in text.replace(";", ",").split(",") if part.strip()]


class ArticleForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    summary = forms.CharField(
        label=_("Tóm tắt (sapo)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Mỗi đoạn cách nhau một dòng trống."),
    )
    organization = forms.ModelChoiceField(
        label=_("Đơn vị đưa tin"), queryset=Organization.objects.none()
    )
    category = forms.ModelChoiceField(
        label=_("Chuyên mục"), queryset=Category.objects.all(), required=False
    )
    tags = forms.CharField(
        label=_("Thẻ"),
        required=False,
        max_length=600,
        help_text=_("Cách nhau bằng dấu phẩy, ví dụ: lúa gạo, chuyển đổi số."),
    )
    fields = fields_field()
    lead_image = forms.FileField(
        label=_("Ảnh đại diện"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    lead_image_alt = forms.CharField(label=_("Mô tả ảnh (alt)"), required=False, max_length=300)
    video_file = forms.FileField(
        label=_("Tệp video"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm,video/ogg"}),
    )
    video_url = forms.URLField(
        label=_("Hoặc liên kết video"), required=False, assume_scheme="https", max_length=200
    )
    related = RefsField(
        label=_("Hồ sơ liên quan"),
        required=False,
        max_length=1000,
        help_text=_("Mã hồ sơ cách nhau bằng dấu phẩy: document:12 (tài liệu), task:5 (nhiệm vụ)."),
    )

    def __init__(self, *args, user=None, article: Article | None = None, **kwargs):
        if article is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(article)
        super().__init__(*args, **kwargs)
        allowed = access.writable_organization_ids(user)
        organizations = Organization.objects.order_by("name")
        if allowed is not None:
            organizations = organizations.filter(pk__in=allowed)
        self.fields["organization"].queryset = organizations
        if article is not None and article.lead_image:
            self.fields["lead_image"].initial = article.lead_image
        if article is not None and article.video_file:
            self.fields["video_file"].initial = article.video_file

    def service_data(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in (
                "title",
                "summary",
                "body",
                "organization",
                "category",
                "lead_image_alt",
                "video_url",
            )
        }
        for name in ("lead_image", "video_file"):
            value = self.cleaned_data.get(name)
            if value is not None:  # None: unchanged; False: cleared; a file: replaced
                data[name] = value
        return data

    def relations(self) -> dict:
        from sti.news.services import split_tags

        return {
            "tags": split_tags(self.cleaned_data["tags"]),
            "fields": self.cleaned_data["fields"],
            "related": self.cleaned_data["related"],
        }


def initial_for(article: Article) -> dict:
    refs = []
    for link in article.links.all():
        linkable = registries.linkable_for_model(link.content_type.model_class())
        if linkable is not None:
            refs.append(f"{linkable.key}:{link.object_id}")
    return {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "organization": article.organization_id,
        "category": article.category_id,
        "tags": ", ".join(tag.name for tag in article.tags.all()),
        "fields": list(article.fields.all()),
        "lead_image_alt": article.lead_image_alt,
        "video_url": article.video_url,
        "related": ", ".join(refs),
    }


class MoveForm(StyledFormMixin, forms.Form):
    """One workflow step of an article; scheduling also takes the moment."""

    target = forms.ChoiceField(choices=ArticleStatus.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=1000)
    publish_at = forms.DateTimeField(
        label=_("Thời điểm đăng"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )


class CategoryForm(StyledFormMixin, forms.ModelForm):
    slug = forms.SlugField(
        label=_("Mã (slug)"),
        required=False,
        max_length=80,
        help_text=_("Để trống: tạo từ tên."),
    )

    class Meta:
        model = Category
        fields = ["name", "slug", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class IssueForm(StyledFormMixin, forms.Form):
    series = forms.ModelChoiceField(label=_("Ấn phẩm"), queryset=Series.objects.all())
    number = forms.IntegerField(label=_("Số"), min_value=1, max_value=9999)
    year = forms.IntegerField(label=_("Năm"), min_value=1975, max_value=2100)
    issued = forms.DateField(
        label=_("Ngày phát hành"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    title = forms.CharField(label=_("Chủ đề của số"), required=False, max_length=300)
    summary = forms.CharField(
        label=_("Giới thiệu số"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fields = fields_field()
    pdf = forms.FileField(
        label=_("Tệp PDF của số"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("Hoặc để trống và tạo tệp từ các bài của số."),
    )

    def __init__(self, *args, issue: Issue | None = None, **kwargs):
        if issue is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "series": issue.series_id,
                "number": issue.number,
                "year": issue.year,
                "issued": issue.issued,
                "title": issue.title,
                "summary": issue.summary,
                "fields": list(issue.fields.all()),
            }
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("year", timezone.localdate().year)
        kwargs["initial"].setdefault("issued", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        issued, year = cleaned.get("issued"), cleaned.get("year")
        if issued and year and issued.year != year:
            raise ValidationError(_("Ngày phát hành phải thuộc năm của số."))
        return cleaned

    def service_data(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in ("series", "number", "year", "issued", "title", "summary")
        }
        if self.cleaned_data.get("pdf"):
            data["pdf"] = self.cleaned_data["pdf"]
        return data


class AssembleForm(IssueForm):
    """A "bản tin chọn lọc" issue picked from recent public records of every item source."""

    refs = forms.MultipleChoiceField(
        label=_("Hồ sơ đưa vào số"), widget=forms.CheckboxSelectMultiple, required=True
    )
    pdf = None

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = Series.objects.filter(kind=SeriesKind.SELECTED)
        self.fields["refs"].choices = [option for source in sources for option in source.options]
