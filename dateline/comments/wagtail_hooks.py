from datetime import timedelta

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel

from dateline.newsroom.models import (
    ARTICLE_PAGE_QUERYSET_HOOK,
    ArticlePage,
    SectionPage,
)
from dateline.newsroom.panels import PAGE_SETTINGS_PANELS_HOOK
from dateline.worker.periodic import Periodic

from . import admin_views, queries, tasks

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
    def is_shown(self, request):
        return request.user.has_perm("dateline_comments.change_comment")


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
