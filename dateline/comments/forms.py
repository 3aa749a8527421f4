from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Comment


class CommentForm(forms.ModelForm):
    """The "Leave a Reply" form. Messages speak to the reader, next to each field."""

    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
        error_messages={
            "invalid": _("Please enter a full web address, like https://example.com."),
        },
    )

    class Meta:
        model = Comment
        fields = ["name", "email", "website", "body"]
        labels = {
            "name": _("Name"),
            "email": _("Email"),
            "body": _("Comment"),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "body": forms.Textarea(attrs={"rows": 8, "cols": 45}),
        }
        error_messages = {
            "name": {"required": _("Please enter your name.")},
            "email": {
                "required": _("Please enter your email address."),
                "invalid": _(
                    "Please enter a valid email address, like name@example.com."
                ),
            },
            "body": {"required": _("Please write a comment.")},
        }

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter your name."), code="required")
        return name

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Please write a comment."), code="required")
        return body
