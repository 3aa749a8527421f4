"""Forms of the moderators' pages in the Wagtail admin: the queue's filters, bulk
actions, editing a comment, banning a commenter and the log's filters."""

import ipaddress
import re
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import conf
from .actions import DELETABLE
from .models import Comment, ModerationLogEntry

# The queue's tabs: the four statuses, with reported comments second.
QUEUES = [
    (Comment.Status.PENDING.value, _("Pending")),
    ("reported", _("Reported")),
    (Comment.Status.APPROVED.value, _("Approved")),
    (Comment.Status.SPAM.value, _("Spam")),
    (Comment.Status.TRASH.value, _("Trash")),
]
QUEUE_NAMES = [name for name, _label in QUEUES]


def queue_name(value) -> str:
    return value if value in QUEUE_NAMES else Comment.Status.PENDING.value


def _day_start(day):
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class QueueFilterForm(forms.Form):
    """Narrows the queue. Fields that do not validate are shown with their error and
    left out of the filter."""

    article = forms.CharField(
        label=_("Article"),
        required=False,
        max_length=255,
        help_text=_("Title contains, or the article's number"),
    )
    commenter = forms.CharField(
        label=_("Commenter"),
        required=False,
        max_length=254,
        help_text=_("Name or e-mail contains"),
    )
    posted_from = forms.DateField(
        label=_("Posted from"), required=False, widget=DateInput
    )
    posted_to = forms.DateField(label=_("Posted to"), required=False, widget=DateInput)
    comment = forms.IntegerField(
        label=_("Comment number"), required=False, min_value=1, max_value=2**63 - 1
    )

    def filter(self, comments):
        self.is_valid()
        data = self.cleaned_data
        if data.get("article"):
            match = Q(article__title__icontains=data["article"])
            if re.fullmatch(r"[0-9]{1,18}", data["article"]):
                match |= Q(article_id=int(data["article"]))
            comments = comments.filter(match)
        if data.get("commenter"):
            text = data["commenter"]
            comments = comments.filter(
                Q(name__icontains=text) | Q(email__icontains=text)
            )
        if data.get("posted_from"):
            comments = comments.filter(created_at__gte=_day_start(data["posted_from"]))
        if data.get("posted_to"):
            end = _day_start(data["posted_to"] + timedelta(days=1))
            comments = comments.filter(created_at__lt=end)
        if data.get("comment"):
            comments = comments.filter(pk=data["comment"])
        return comments

    @property
    def is_filtering(self):
        return any(self.cleaned_data.get(name) for name in self.fields)


class BulkActionForm(forms.Form):
    queue = forms.ChoiceField(choices=QUEUES, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("spam", _("Spam")),
            ("trash", _("Trash")),
            ("delete", _("Delete permanently")),
        ]
    )
    comment = forms.ModelMultipleChoiceField(
        queryset=Comment.objects.none(),
        error_messages={
            "required": _("Select at least one comment first."),
            "invalid_choice": _(
                "Another moderator has moved some of these comments since the page "
                "was loaded; nothing was changed. Please check them again."
            ),
        },
    )

    def __init__(self, *args, comments=None, **kwargs):
        super().__init__(*args, **kwargs)
        queue = queue_name(self.data.get("queue"))
        comments = Comment.objects.all() if comments is None else comments
        self.fields["comment"].queryset = comments.in_queue(queue)

    def clean(self):
        data = super().clean()
        if data.get("action") == "delete" and data.get("queue") not in DELETABLE:
            raise forms.ValidationError(_("Only spam and trash can be deleted."))
        return data


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class BanForm(forms.Form):
    """One of an e-mail, a network or a name pattern; what to do with what that
    commenter has waiting in the queue."""

    email = forms.EmailField(label=_("E-mail"), required=False)
    network = forms.CharField(
        label=_("IP address or network"),
        required=False,
        max_length=49,
        help_text=_("e.g. 203.0.113.7 or 203.0.113.0/24"),
    )
    name_pattern = forms.CharField(
        label=_("Name pattern"),
        required=False,
        max_length=100,
        help_text=_("* stands for any characters, e.g. *casino*; case is ignored."),
    )
    pending_to = forms.ChoiceField(
        label=_("Their comments waiting in the queue go to"),
        choices=[("spam", _("Spam")), ("trash", _("Trash"))],
        initial="spam",
        required=False,
    )
    until = forms.DateTimeField(
        label=_("Until"),
        required=False,
        widget=DateTimeInput,
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    # Wider networks would ban whole providers' customers.
    WIDEST_PREFIX = {4: 16, 6: 48}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].help_text = _(
            "Leave empty for a permanent ban. The time is in %(zone)s. A network "
            "ban lasts %(days)s days at most: addresses are kept no longer."
        ) % {
            "zone": timezone.get_current_timezone_name(),
            "days": conf.ip_retention_days(),
        }

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_pending_to(self):
        return self.cleaned_data["pending_to"] or "spam"

    def clean_network(self):
        value = self.cleaned_data["network"].strip()
        if not value:
            return ""
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise forms.ValidationError(
                _("Enter an IP address or a network such as 203.0.113.0/24.")
            ) from None
        if network.prefixlen < self.WIDEST_PREFIX[network.version]:
            raise forms.ValidationError(
                _("That network is too wide; the widest allowed is /%(prefix)s.")
                % {"prefix": self.WIDEST_PREFIX[network.version]}
            )
        return str(network)

    def clean_name_pattern(self):
        value = " ".join(self.cleaned_data["name_pattern"].lower().split())
        if value and len(value.replace("*", "").replace("?", "")) < 3:
            raise forms.ValidationError(
                _("Give at least three letters besides * so the pattern is narrow.")
            )
        return value

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until is not None and until <= timezone.now():
            raise forms.ValidationError(_("The end of a ban must be in the future."))
        return until

    def clean(self):
        data = super().clean()
        given = [f for f in ("email", "network", "name_pattern") if data.get(f)]
        if len(given) != 1 and not any(
            f in self.errors for f in ("email", "network", "name_pattern")
        ):
            self.add_error(
                "email",
                _(
                    "Give one of an e-mail, an IP address or network, "
                    "or a name pattern."
                ),
            )
        return data


class LogFilterForm(forms.Form):
    comment = forms.IntegerField(
        label=_("Comment number"), required=False, min_value=1, max_value=2**63 - 1
    )
    user = forms.ModelChoiceField(
        label=_("Moderator"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=_("Anyone"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        logged = ModerationLogEntry.objects.values("user")
        users = get_user_model().objects.filter(pk__in=logged)
        self.fields["user"].queryset = users.order_by("username")

    def filter(self, entries):
        self.is_valid()
        if self.cleaned_data.get("comment"):
            entries = entries.filter(comment_ref=self.cleaned_data["comment"])
        if self.cleaned_data.get("user"):
            entries = entries.filter(user=self.cleaned_data["user"])
        return entries
