from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import NoIndexPage, Webhook, WebhookDelivery


class NoIndexPageViewSet(SnippetViewSet):
    model = NoIndexPage
    icon = "no-view"
    menu_label = _("Hidden from search")
    list_display = ["page", "reason"]


register_snippet(NoIndexPageViewSet)


class WebhookViewSet(SnippetViewSet):
    model = Webhook
    icon = "link-external"
    menu_label = _("Webhooks")
    list_display = ["name", "url", "active", "events"]
    list_filter = ["active"]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Deliveries are a record: they may be looked at (and cleared), not written."""

    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)


register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery))


class WebhookDeliveryViewSet(SnippetViewSet):
    model = WebhookDelivery
    icon = "history"
    menu_label = _("Deliveries")
    list_display = [
        "webhook",
        "event",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "event", "webhook"]
    inspect_view_enabled = True
    inspect_view_fields = [*list_display, "payload"]


class WebhookGroup(SnippetViewSetGroup):
    items = (WebhookViewSet, WebhookDeliveryViewSet)
    menu_icon = "link-external"
    menu_label = _("Webhooks")
    menu_name = "webhooks"


register_snippet(WebhookGroup)


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    from .admin_views import IntegrationTokenViewSet

    # Wagtail's URL names, so its token templates link back to this list.
    return IntegrationTokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")


@hooks.register("register_log_actions")
def register_content_api_log_action(actions):
    @actions.register_action("dateline.content_api")
    class ContentAPIFormatter(LogFormatter):
        label = _("Content API")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("%(operation)s through the content API by %(integration)s") % {
                "operation": OPERATIONS.get(data.get("operation"), _("Written")),
                "integration": data.get("integration", ""),
            }


OPERATIONS = {
    "create": _("Draft created"),
    "update": _("Draft updated"),
    "submit": _("Submitted for review"),
    "upload": _("Image uploaded"),
}
