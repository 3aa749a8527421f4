"""The newsroom's form for an entry, in the live desk of the Wagtail admin."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.images.widgets import AdminImageChooser

from dateline.newsroom.blocks import PARAGRAPH_FEATURES

from .models import LiveEntry


class EntryForm(forms.ModelForm):
    breaking = forms.BooleanField(
        label=_("Also put up the breaking-news banner"),
        required=False,
        help_text=_("For a key event, once it is published: links every page to it."),
    )

    embed_url = forms.URLField(
        label=_("link to embed"),
        required=False,
        assume_scheme="https",
        help_text=_("A post or video elsewhere; readers get a link, not a frame."),
    )

    class Meta:
        model = LiveEntry
        fields = [
            "title",
            "body",
            "image",
            "embed_url",
            "author",
            "pinned",
            "key_event",
        ]
        widgets = {
            "body": get_rich_text_editor_widget(features=PARAGRAPH_FEATURES),
            "image": AdminImageChooser,
        }

    def entry_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("breaking", None)
        return data
