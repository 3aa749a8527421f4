import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import Comment, CommentReport
from .text import clean_body, clean_name

TICKET_SALT = "dateline.comments.ticket"
TICKET_MAX_AGE = 24 * 3600


def make_ticket() -> str:
    """A signed note of when the reader opened the page, fetched by site.js."""
    return signing.dumps({"t": time.time()}, salt=TICKET_SALT)


def ticket_age(ticket: str) -> float | None:
    """Seconds since ``ticket`` was made; None when it is missing, forged or stale."""
    try:
        issued = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)["t"]
        return time.time() - float(issued)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


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
    notify_replies = forms.BooleanField(
        label=_("Notify me of replies by e-mail"), required=False
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    # Filled by site.js with a signed time from /comments/ticket/ when the page opens.
    ticket = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    # Hidden from people by CSS; software that fills every field fills this one.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Comment
        fields = ["name", "email", "website", "body"]
        labels = {"name": _("Name"), "email": _("Email"), "body": _("Comment")}
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

    def __init__(self, *args, article=None, **kwargs):
        self.article = article
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = clean_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Please enter your name."), code="required")
        return name

    def clean_body(self):
        body = clean_body(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("Please write a comment."), code="required")
        return body

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = (
            Comment.objects.approved()
            .filter(pk=parent_id, article_id=getattr(self.article, "pk", None))
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                _(
                    "The comment you are replying to is not available. "
                    "Your comment will be posted on its own if you send it again."
                ),
                code="invalid_parent",
            )
        return parent

    def is_honeypot_filled(self) -> bool:
        return bool(self.cleaned_data.get("homepage"))

    def ticket_age(self) -> float | None:
        return ticket_age(self.cleaned_data.get("ticket") or "")


class ReportForm(forms.ModelForm):
    """The "Report a comment" form: the reader picks a reason themselves."""

    # Declared rather than generated: the model field has no default, so Django would
    # add a blank "---------" choice, which a row of radio buttons shows ticked.
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a reason."),
            "invalid_choice": _("Please choose one of the reasons listed."),
        },
    )

    class Meta:
        model = CommentReport
        fields = ["reason", "detail"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 3})}
        labels = {"detail": _("Details")}
