from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from dateline.newsroom.buttons import register_page_button

from . import admin_views
from .models import LivePage


@hooks.register("register_admin_urls")
def register_live_admin_urls():
    return [
        path("live/<int:page_id>/", admin_views.desk, name="dateline_live_desk"),
        path(
            "live/<int:page_id>/entries/<int:entry_id>/",
            admin_views.edit_entry,
            name="dateline_live_edit_entry",
        ),
        path(
            "live/<int:page_id>/entries/<int:entry_id>/<slug:verb>/",
            admin_views.entry_action,
            name="dateline_live_entry_action",
        ),
        path(
            "live/<int:page_id>/coverage/",
            admin_views.coverage,
            name="dateline_live_coverage",
        ),
    ]


@register_page_button
class LiveDeskButton(PageMenuItem):
    label = _("Live desk")
    icon_name = "time"
    priority = 5

    @property
    def url(self):
        return reverse("dateline_live_desk", args=[self.page.pk])

    def is_shown(self, user):
        return self.page.specific_class is LivePage and (
            self.page.permissions_for_user(user).can_edit()
        )


# Sections hold live pages as they hold articles; the newsroom asks this hook rather
# than naming a model of an app above it.
@hooks.register("dateline_section_subpage_types")
def live_pages_in_sections():
    return ["dateline_live.LivePage"]


@hooks.register("dateline_cacheable_query_params")
def live_query_params():
    # The pages of older entries, and the poll's cursor.
    return ["before", "after"]


@hooks.register("dateline_page_metadata_classes")
def live_metadata():
    from .metadata import LiveMetadata

    return [(LivePage, LiveMetadata)]


@hooks.register("dateline_api_routers")
def live_api_routes():
    from .api import router

    return router


@hooks.register("dateline_news_sitemap_articles")
def live_pages_in_the_news_sitemap():
    """Live pages stay in the Google News sitemap while their coverage goes on,
    however long ago they were first published."""
    from .queries import going_on

    return going_on()
