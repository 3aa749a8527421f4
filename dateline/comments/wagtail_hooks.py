from datetime import timedelta

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.models import Site

from dateline.newsroom.models import (
    ARTICLE_PAGE_QUERYSET_HOOK,
    ArticlePage,
    SectionPage,
)
from dateline.newsroom.panels import PAGE_SETTINGS_PANELS_HOOK
from dateline.worker.periodic import Periodic

from . import admin_views, queries, tasks
from .permissions import can_moderate, moderatable_comments

admin_urlpatterns = (
    [
        path("", admin_views.ModerationQueueView.as_view(), name="queue"),
        path("bulk/", admin_views.bulk_moderate, name="bulk"),
        path("bans/", admin_views.BansView.as_view(), name="bans"),
        path("bans/<int:pk>/lift/", admin_views.lift_ban, name="lift_ban"),
        path("log/", admin_views.ModerationLogView.as_view(), name="log"),
        path("<int:pk>/edit/", admin_views.EditCommentView.as_view(), name="edit"),
        path("<int:pk>/<slug:action>/", admin_views.moderate, name="moderate"),
    ],
    "dateline_comments",
)


@hooks.register(ARTICLE_PAGE_QUERYSET_HOOK)
def add_comments_to_article_page(articles):
    return queries.with_comment_policy(queries.with_published_counts(articles))


# What a page's editor may set about its comments: an article is opened or closed
# and moderated its own way; a section sets the mode for the articles under it.
POLICY_FIELDS = {
    ArticlePage: ["comments_open", "moderation"],
    SectionPage: ["moderation"],
}


@hooks.register(PAGE_SETTINGS_PANELS_HOOK)
def comment_policy_panel(page_class):
    fields = POLICY_FIELDS.get(page_class)
    if not fields:
        return []
    return [
        InlinePanel(
            "comment_policy",
            panels=[FieldPanel(name) for name in fields],
            heading=_("Reader comments"),
            label=_("Comment policy"),
            max_num=1,
        )
    ]


@hooks.register("dateline_cacheable_query_params")
def comment_query_params():
    # A page of comments, their order, a reply form and the "held" notice: each a
    # page worth storing (dateline.site.pagecache).
    return ["cpage", "corder", "replytocom", "comment"]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("reader-comments/", include(admin_urlpatterns))]


class ModeratorMenuItem(MenuItem):
    """ "Comments", with the count of comments waiting for this user as a badge."""

    def is_shown(self, request):
        return can_moderate(request.user, Site.find_for_request(request))

    def render_component(self, request):
        site = Site.find_for_request(request)
        waiting = moderatable_comments(request.user, site).pending().count()
        # Menu items are shared between requests: the count goes on a new component.
        attrs = {**self.attrs}
        if waiting:
            attrs["data-pending-count"] = str(waiting)
            attrs["aria-label"] = ngettext(
                "Comments, %(count)d waiting", "Comments, %(count)d waiting", waiting
            ) % {"count": waiting}
        return LinkMenuItemComponent(
            self.name, self.label, self.url, icon_name=self.icon_name, attrs=attrs
        )


@hooks.register("insert_global_admin_css")
def pending_badge_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("dateline_comments/admin_menu.css")
    )


@hooks.register("construct_homepage_panels")
def comments_panel(request, panels):
    if can_moderate(request.user, Site.find_for_request(request)):
        panels.append(admin_views.CommentsPanel())


@hooks.register("register_admin_menu_item")
def register_comments_menu_item():
    return ModeratorMenuItem(
        _("Comments"),
        reverse("dateline_comments:queue"),
        icon_name="comment",
        order=220,
    )


@hooks.register("register_periodic_tasks")
def periodic_tasks():
    return [
        Periodic("erase-comment-ips", tasks.erase_old_ip_addresses, timedelta(days=1)),
        Periodic("comment-digest", tasks.send_moderation_digest, tasks.DIGEST_EVERY),
    ]
