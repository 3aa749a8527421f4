"""The moderators' queue in the Wagtail admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .actions import check_moderate_comment
from .models import Comment

MESSAGES = {
    "approve": gettext_lazy("Comment by %(name)s approved."),
    "trash": gettext_lazy("Comment by %(name)s moved to the trash."),
    "spam": gettext_lazy("Comment by %(name)s marked as spam."),
    "pending": gettext_lazy("Comment by %(name)s is pending again."),
}


class ModerationQueueView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "comments/admin/queue.html"
    page_title = gettext_lazy("Comments")
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("dateline_comments.change_comment"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", Comment.Status.PENDING)
        if status not in Comment.Status.values:
            status = Comment.Status.PENDING
        queryset = (
            Comment.objects.filter(status=status)
            .select_related("article")
            .order_by("-created_at")
        )
        context["comments"] = Paginator(queryset, 50).get_page(
            self.request.GET.get("p")
        )
        context["status"] = status
        context["statuses"] = Comment.Status.choices
        return context


@require_POST
def moderate(request, pk, action):
    if action not in MESSAGES:
        raise PermissionDenied
    comment = get_object_or_404(Comment, pk=pk)
    check_moderate_comment(request.user, comment, action)
    messages.success(request, MESSAGES[action] % {"name": comment.name})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = reverse("dateline_comments:queue")
    return redirect(next_url)
