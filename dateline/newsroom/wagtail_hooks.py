from datetime import timedelta

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from dateline.worker.conf import interval
from dateline.worker.periodic import Periodic

from . import admin_views, tasks
from .actions import do_ensure_author_profile
from .buttons import register_page_button
from .dashboard import NewsDeskPanel
from .explorer import ExplorerViewSet
from .invalidation import urls_for_tags
from .models import ArticlePage, Author, DatelinePlace


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name", "job_title"]
    search_fields = ["name"]


register_snippet(AuthorViewSet)


class DatelinePlaceViewSet(SnippetViewSet):
    model = DatelinePlace
    icon = "site"
    menu_label = _("Dateline places")
    add_to_admin_menu = True
    menu_order = 215
    search_fields = ["name"]


register_snippet(DatelinePlaceViewSet)


# After Wagtail's own (order -1): the explorer of every page type without a viewset
# of its own (explorer.py).
@hooks.register("register_admin_viewset")
def register_explorer():
    return ExplorerViewSet()


@hooks.register("register_admin_urls")
def register_newsroom_admin_urls():
    return [
        path(
            "newsroom/retract/<int:page_id>/",
            admin_views.retract,
            name="dateline_newsroom_retract",
        )
    ]


@register_page_button
class RetractButton(PageMenuItem):
    label = _("Retract")
    icon_name = "warning"
    priority = 61

    @property
    def url(self):
        return reverse("dateline_newsroom_retract", args=[self.page.pk])

    def is_shown(self, user):
        return (
            self.page.live
            and self.page.specific_class is ArticlePage
            and self.page.permissions_for_user(user).can_unpublish()
        )


@hooks.register("register_log_actions")
def register_retract_log_action(actions):
    @actions.register_action("dateline.retract")
    class RetractFormatter(LogFormatter):
        label = _("Retract")

        def format_message(self, log_entry):
            reason = log_entry.data.get("reason", "")
            return _("Retracted: %(reason)s") % {"reason": reason}


@hooks.register("register_periodic_tasks")
def periodic_tasks():
    every = timedelta(seconds=interval())
    return [
        Periodic("publish-scheduled", tasks.publish_scheduled_pages, every),
        Periodic("lift-embargoes", tasks.lift_embargoes, every),
        Periodic("expire-breaking-news", tasks.expire_breaking_news, every),
    ]


# For a caching proxy that purges by URL (no xkey): the newsroom's pages that carry
# the tags (dateline.caching.proxy).
hooks.register("dateline_urls_for_cache_tags", urls_for_tags)


@hooks.register("dateline_cacheable_query_params")
def listing_query_params():
    return ["page"]


@hooks.register("before_create_page")
def author_profile_for_writer(request, parent_page, page_class):
    # A new story's byline starts as its writer's (forms.ArticlePageForm): someone
    # writing their first story gets an author profile linked to their account.
    if issubclass(page_class, ArticlePage) and request.method == "GET":
        do_ensure_author_profile(request.user)


@hooks.register("construct_homepage_panels")
def news_desk_panel(request, panels):
    # Ours lists the same reviews in a fixed number of queries (dashboard.py).
    panels[:] = [p for p in panels if p.name != "workflow_objects_to_moderate"]
    panels.append(NewsDeskPanel())
