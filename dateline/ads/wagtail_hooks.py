"""The ad desk in the Wagtail admin: an "Advertising" menu with advertisers, campaigns,
creatives, placements, sponsored articles and the report. The house ad stays under
Settings. Each screen asks for its model's permissions; the "Ad managers" group has
them (migration 0004)."""

from datetime import timedelta

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from dateline.worker.conf import interval
from dateline.worker.periodic import Periodic

from . import admin_views, tasks
from .models import Advertiser, Campaign, Creative, Placement, SponsoredArticle


class AdvertiserViewSet(SnippetViewSet):
    model = Advertiser
    icon = "group"
    list_display = ["name", "website"]
    search_fields = ["name"]


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "calendar-alt"
    list_display = ["name", "advertiser", "starts_at", "ends_at", "priority", "paused"]
    list_filter = ["advertiser", "house", "paused"]
    search_fields = ["name"]


class CreativeViewSet(SnippetViewSet):
    model = Creative
    icon = "image"
    list_display = ["name", "campaign", "kind", "active"]
    list_filter = ["campaign", "kind", "active"]
    search_fields = ["name"]


class PlacementViewSet(SnippetViewSet):
    model = Placement
    icon = "placeholder"
    list_display = ["name", "key", "kind", "position", "size_label", "enabled"]


class SponsoredArticleViewSet(SnippetViewSet):
    model = SponsoredArticle
    icon = "tag"
    list_display = ["page", "advertiser"]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("dateline_ads.view_addailycount")


class AdvertisingGroup(SnippetViewSetGroup):
    menu_label = _("Advertising")
    menu_icon = "pick"
    menu_order = 230
    items = (
        CampaignViewSet,
        CreativeViewSet,
        AdvertiserViewSet,
        PlacementViewSet,
        SponsoredArticleViewSet,
    )

    def get_submenu_items(self):
        report = ReportMenuItem(
            _("Report"),
            reverse("dateline_ads_admin:report"),
            icon_name="table",
            order=len(self.items) + 1,
        )
        return [*super().get_submenu_items(), report]


register_snippet(AdvertisingGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    from django.urls import include

    urls = (
        [path("", admin_views.ReportView.as_view(), name="report")],
        "dateline_ads_admin",
    )
    return [path("ads/report/", include(urls))]


@hooks.register("register_periodic_tasks")
def periodic_tasks():
    # Counts kept in the cache reach the database as often as scheduled publishing
    # is checked; reports and flush_ad_counts flush too (docs/ads.md).
    every = timedelta(seconds=interval())
    return [Periodic("flush-ad-counts", tasks.flush_ad_counts, every)]
