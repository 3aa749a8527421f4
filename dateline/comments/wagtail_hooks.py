from datetime import timedelta

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from dateline.worker.periodic import Periodic

from . import admin_views, tasks

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
