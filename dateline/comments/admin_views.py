"""The moderators' pages in the Wagtail admin: the queue, editing a comment, bans and
the moderation log. Writes go through ``actions``; these views parse and render."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy, ngettext, ngettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import Site

from .actions import (
    check_ban_commenter,
    check_edit_comment,
    check_lift_ban,
    check_moderate_comment,
    check_moderate_comments,
)
from .admin_forms import (
    QUEUES,
    BanForm,
    BulkActionForm,
    CommentEditForm,
    LogFilterForm,
    QueueFilterForm,
    queue_name,
)
from .models import Comment, CommenterBan, ModerationLogEntry
from .permissions import can_moderate, moderatable_comments

PER_PAGE = 50

MESSAGES = {
    "approve": gettext_lazy("Comment by %(name)s approved."),
    "trash": gettext_lazy("Comment by %(name)s moved to the trash."),
    "spam": gettext_lazy("Comment by %(name)s marked as spam."),
    "pending": gettext_lazy("Comment by %(name)s is pending again."),
}

BULK_MESSAGES = {
    "approve": ngettext_lazy(
        "%(count)d comment approved.", "%(count)d comments approved.", "count"
    ),
    "spam": ngettext_lazy(
        "%(count)d comment marked as spam.",
        "%(count)d comments marked as spam.",
        "count",
    ),
    "trash": ngettext_lazy(
        "%(count)d comment moved to the trash.",
        "%(count)d comments moved to the trash.",
        "count",
    ),
    "delete": ngettext_lazy(
        "%(count)d comment deleted permanently.",
        "%(count)d comments deleted permanently.",
        "count",
    ),
}

# How the log names what was done; an action missing here shows as stored.
LOG_ACTIONS = {
    "approve": gettext_lazy("Approved"),
    "pending": gettext_lazy("Made pending"),
    "spam": gettext_lazy("Marked as spam"),
    "trash": gettext_lazy("Moved to the trash"),
    "edit": gettext_lazy("Edited"),
    "delete": gettext_lazy("Deleted"),
    "ban": gettext_lazy("Banned the commenter"),
    "lift_ban": gettext_lazy("Lifted the ban"),
    "hidden": gettext_lazy("Hidden after reports"),
}


def user_comments(request):
    """The comments the request's user may moderate on the request's site; refuses
    a user who moderates none."""
    site = Site.find_for_request(request)
    if not can_moderate(request.user, site):
        raise PermissionDenied
    return moderatable_comments(request.user, site)


def queue_listing(comments, queue):
    """One queue's comments, newest first, in a fixed number of queries."""
    comments = comments.in_queue(queue).select_related("article", "parent")
    if queue == "reported":
        comments = comments.prefetch_related("reports")
    return comments.order_by("-created_at", "-pk")


def queue_tabs(comments):
    return [(name, label, comments.in_queue(name).count()) for name, label in QUEUES]


def paginate(request, queryset):
    paginator = WagtailPaginator(queryset, PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    return {
        "page_obj": page,
        "elided_page_range": paginator.get_elided_page_range(page.number),
    }


def next_url(request, default="dateline_comments:queue"):
    """Where the form came from, if it is on this site: the queue with its filters."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(default)


class ModerationPage(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    """A moderator's page. Without ``permission_required``: anyone who moderates
    some comments, Moderators and the Editors of a desk (``permissions.py``)."""

    permission_required = None
    raise_exception = True
    header_icon = "comment"

    def has_permission(self):
        if self.permission_required is None:
            return can_moderate(self.request.user, Site.find_for_request(self.request))
        return super().has_permission()

    @cached_property
    def comments(self):
        """The comments this user may moderate."""
        return user_comments(self.request)

    def get_breadcrumbs_items(self):
        queue = {
            "url": reverse("dateline_comments:queue"),
            "label": gettext("Comments"),
        }
        here = {"url": "", "label": self.get_page_title()}
        return [*self.breadcrumbs_items, queue, here]


class ModerationQueueView(ModerationPage, TemplateView):
    template_name = "comments/admin/queue.html"
    page_title = gettext_lazy("Comments")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_header_buttons(self):
        has_perm = self.request.user.has_perm
        links = [
            ("bans", gettext("Bans"), "lock", "view_commenterban"),
            ("log", gettext("Moderation log"), "history", "view_moderationlogentry"),
        ]
        return [
            HeaderButton(label, reverse(f"dateline_comments:{name}"), icon_name=icon)
            for name, label, icon, perm in links
            if has_perm(f"dateline_comments.{perm}")
        ]

    def get_context_data(self, **kwargs):
        queue = queue_name(self.request.GET.get("status"))
        filters = QueueFilterForm(self.request.GET)
        comments = filters.filter(self.comments)
        return super().get_context_data(
            queue=queue,
            filters=filters,
            tabs=queue_tabs(comments),
            show_ip=self.request.user.is_superuser,
            **paginate(self.request, queue_listing(comments, queue)),
            **kwargs,
        )


@require_POST
def moderate(request, pk, action):
    if action not in MESSAGES:
        raise PermissionDenied
    comment = get_object_or_404(user_comments(request), pk=pk)
    check_moderate_comment(request.user, comment, action)
    messages.success(request, MESSAGES[action] % {"name": comment.name})
    return redirect(next_url(request))


@require_POST
def bulk_moderate(request):
    form = BulkActionForm(request.POST, comments=user_comments(request))
    if form.is_valid():
        action = form.cleaned_data["action"]
        count = check_moderate_comments(
            request.user, form.cleaned_data["comment"], action
        )
        messages.success(request, BULK_MESSAGES[action] % {"count": count})
    else:
        # Nothing was changed; the moderator only needs to choose again.
        for errors in form.errors.values():
            messages.warning(request, " ".join(errors))
    return redirect(next_url(request))


class EditCommentView(ModerationPage, FormView):
    template_name = "comments/admin/edit.html"
    form_class = CommentEditForm
    page_title = gettext_lazy("Edit comment")

    @cached_property
    def comment(self):
        comments = self.comments.select_related("article")
        return get_object_or_404(comments, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"body": self.comment.body}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            comment=self.comment, next=next_url(self.request), **kwargs
        )

    def form_valid(self, form):
        if form.has_changed():
            check_edit_comment(
                self.request.user, self.comment, form.cleaned_data["body"]
            )
            message = gettext("Comment by %(name)s edited.")
        else:
            message = gettext("Comment by %(name)s left as it was.")
        messages.success(self.request, message % {"name": self.comment.name})
        return redirect(next_url(self.request))


class BansView(ModerationPage, FormView):
    permission_required = "dateline_comments.view_commenterban"
    template_name = "comments/admin/bans.html"
    form_class = BanForm
    page_title = gettext_lazy("Banned commenters")

    def get_initial(self):
        return {
            name: self.request.GET.get(name, "")
            for name in ("email", "network", "name_pattern")
        }

    def get_context_data(self, **kwargs):
        bans = CommenterBan.objects.active().select_related("created_by")
        return super().get_context_data(**paginate(self.request, bans), **kwargs)

    def form_valid(self, form):
        ban = check_ban_commenter(self.request.user, **form.cleaned_data)
        message = ngettext(
            "%(who)s can no longer comment; %(count)d waiting comment moved to "
            "%(where)s.",
            "%(who)s can no longer comment; %(count)d waiting comments moved to "
            "%(where)s.",
            ban.comments_moved,
        ) % {
            "who": ban,
            "count": ban.comments_moved,
            "where": dict(form.fields["pending_to"].choices)[
                form.cleaned_data["pending_to"]
            ],
        }
        messages.success(self.request, message)
        return redirect("dateline_comments:bans")


@require_POST
@permission_required("dateline_comments.delete_commenterban", raise_exception=True)
def lift_ban(request, pk):
    ban = get_object_or_404(CommenterBan, pk=pk)
    check_lift_ban(request.user, ban)
    message = gettext("The ban on %(email)s is lifted.") % {"email": str(ban)}
    messages.success(request, message)
    return redirect("dateline_comments:bans")


class ModerationLogView(ModerationPage, TemplateView):
    permission_required = "dateline_comments.view_moderationlogentry"
    template_name = "comments/admin/log.html"
    page_title = gettext_lazy("Moderation log")

    def get_context_data(self, **kwargs):
        filters = LogFilterForm(self.request.GET)
        entries = ModerationLogEntry.objects.select_related("user", "comment")
        context = super().get_context_data(
            filters=filters, **paginate(self.request, filters.filter(entries)), **kwargs
        )
        for entry in context["page_obj"]:
            entry.action_label = LOG_ACTIONS.get(entry.action, entry.action)
        return context


class CommentsPanel(Component):
    """The dashboard's count of comments waiting for this user, and reported."""

    name = "dateline_comments"
    template_name = "comments/admin/dashboard_panel.html"
    order = 95

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        counts = user_comments(request).aggregate(
            pending=Count("pk", filter=Q(status=Comment.Status.PENDING)),
            reported=Count(
                "pk",
                filter=Q(open_reports__gt=0)
                & ~Q(status__in=[Comment.Status.SPAM, Comment.Status.TRASH]),
            ),
        )
        return {"counts": counts}
