"""Editor forms of the thesaurus, on the shared styling mixin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFormMixin
from sti.core.models import FieldOfScience
from sti.thesaurus.models import Concept, Term


class ConceptForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Concept
        fields = ["label", "field", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = FieldOfScience.objects.current()

    def validate_unique(self):
        """The service checks uniqueness on the folded key."""


class TermForm(StyledFormMixin, forms.ModelForm):
    weight = forms.FloatField(
        label=_("Trọng số"),
        required=False,
        min_value=0.05,
        max_value=0.95,
        help_text=_("Từ 0,05 đến 0,95; để trống: mặc định theo quan hệ."),
    )

    class Meta:
        model = Term
        fields = ["text", "relation", "weight", "source", "note"]


class BrowseForm(forms.Form):
    q = forms.CharField(label=_("Tìm thuật ngữ"), required=False, max_length=100)
