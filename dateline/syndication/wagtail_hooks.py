from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from dateline.worker.periodic import Periodic

from . import tasks
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


# For a caching proxy that purges by URL (no xkey): the feeds and sitemaps that
# list what the tags name (dateline.caching.proxy).
FRONT_ROUTES = [
    "syndication:feed",
    "syndication:feed_atom",
    "syndication:feed_json",
    "syndication:sitemap_index",
    "syndication:news_sitemap",
]
FEED_KINDS = {"section": "section_feed", "tag": "tag_feed", "author": "author_feed"}


@hooks.register("dateline_urls_for_cache_tags")
def feed_urls_for_tags(tags):
    from wagtail.models import Page, Site

    from dateline.newsroom.models import Author

    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site else ""
    urls = [reverse(name) for name in FRONT_ROUTES] if "front" in tags else []
    slugs = {"tag": [t[4:] for t in tags if t.startswith("tag:")]}
    ids = {
        k: [int(t.split(":")[1]) for t in tags if t.startswith(k + ":")]
        for k in ("section", "author")
    }
    slugs["section"] = Page.objects.filter(pk__in=ids["section"]).values_list(
        "slug", flat=True
    )
    slugs["author"] = Author.objects.filter(pk__in=ids["author"]).values_list(
        "slug", flat=True
    )
    for kind, name in FEED_KINDS.items():
        for slug in slugs[kind]:
            for suffix in ("", "_atom", "_json"):
                urls.append(reverse(f"syndication:{name}{suffix}", args=[slug]))
    return [root + url for url in urls]


DAY = timedelta(days=1)


@hooks.register("register_periodic_tasks")
def periodic_tasks():
    # Retries with backoff; a fresh publication queues its own delivery at once.
    every = timedelta(minutes=1)
    return [
        Periodic("deliver-webhooks", tasks.deliver_due_webhooks, every),
        # Catches what no signal told of: rows changed by hand, a racing publish.
        Periodic("rebuild-archive-months", tasks.rebuild_archive_months, DAY),
    ]


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
