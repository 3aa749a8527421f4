from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dateline.newsroom.models import Author, SectionPage

from . import conf


class SlugChoiceField(forms.ModelChoiceField):
    """A choice of section or author by slug. Section slugs are unique only among
    siblings, so the one highest in the tree wins rather than an error."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="slug", required=False, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if "\x00" in str(value):  # no slug holds one, and PostgreSQL cannot look it up
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        found = self.queryset.filter(slug=str(value)[:255]).first()
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return found


class SectionChoiceField(SlugChoiceField):
    def label_from_instance(self, obj):
        return "– " * max(obj.depth - 3, 0) + obj.title


class SearchForm(forms.Form):
    """The reader's query and filters, from the query string of ``/search/``."""

    # ``from`` is a Python keyword, so two fields go by another name in the URL.
    PARAMETERS = {"date_from": "from", "date_to": "to"}

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    section = SectionChoiceField(
        SectionPage.objects.none(), label=_("Section"), empty_label=_("All sections")
    )
    author = SlugChoiceField(
        Author.objects.order_by("name"), label=_("Author"), empty_label=_("Anyone")
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # public() reads the view restrictions, so not at import time.
        sections = SectionPage.objects.live().public().order_by("path")
        self.fields["section"].queryset = sections

    def add_prefix(self, field_name):
        return self.PARAMETERS.get(field_name, field_name)

    def clean_q(self):
        query, limit = self.cleaned_data["q"], conf.max_query_length()
        if len(query) > limit:
            raise ValidationError(
                _("Search for at most %(limit)d characters."), params={"limit": limit}
            )
        return query

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def search_arguments(self) -> dict:
        """The cleaned form as ``search_articles`` arguments."""
        data = dict(self.cleaned_data)
        return {"query": data.pop("q"), **data}
