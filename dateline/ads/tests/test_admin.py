"""The ad desk in the Wagtail admin: who may use it, editing campaigns and creatives,
and the report with its chart and CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from dateline.ads.actions import do_count, do_create_advertiser
from dateline.ads.counting import add_to_database
from dateline.ads.models import Campaign, Creative
from dateline.ads.tokens import CLICK, IMPRESSION, AdEvent
from dateline.testing.factories import make_article, make_comment

from .helpers import READER, campaign_shown, make_campaign, placement

pytestmark = pytest.mark.django_db

AD_SCREENS = [
    "/admin/snippets/dateline_ads/campaign/",
    "/admin/snippets/dateline_ads/campaign/add/",
    "/admin/snippets/dateline_ads/creative/",
    "/admin/snippets/dateline_ads/creative/add/",
    "/admin/snippets/dateline_ads/advertiser/",
    "/admin/snippets/dateline_ads/advertiser/add/",
    "/admin/snippets/dateline_ads/placement/",
    "/admin/snippets/dateline_ads/placement/add/",
    "/admin/snippets/dateline_ads/sponsoredarticle/",
    "/admin/snippets/dateline_ads/sponsoredarticle/add/",
    "/admin/ads/report/",
]


def user_in(group):
    user = get_user_model().objects.create_user(
        group.lower().replace(" ", "-"), password="pw", email="x@n.example"
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def house_ad_url():
    site = Site.objects.get(is_default_site=True)
    return f"/admin/settings/dateline_ads/housead/{site.pk}/"


def status(client, path):
    return client.get(path).status_code


def test_ad_manager_runs_the_ad_desk_and_nothing_else(client):
    article = make_article()
    make_comment(article)
    campaign = make_campaign()
    client.force_login(user_in("Ad managers"))
    for path in [
        *AD_SCREENS,
        house_ad_url(),
        f"/admin/snippets/dateline_ads/campaign/edit/{campaign.pk}/",
    ]:
        assert status(client, path) == 200, path
    menu = client.get("/admin/").content.decode()
    assert "Advertising" in menu
    for path in [
        f"/admin/pages/{article.pk}/edit/",
        "/admin/reader-comments/",
        "/admin/users/",
        "/admin/snippets/dateline_newsroom/datelineplace/",
    ]:
        assert status(client, path) in (302, 403), path


def test_editor_and_moderator_have_no_ad_desk(client):
    for group in ("Editors", "Moderators"):
        client.force_login(user_in(group))
        for path in AD_SCREENS:
            assert status(client, path) in (302, 403), (group, path)


def test_ad_manager_books_a_campaign_in_the_admin(client):
    client.force_login(user_in("Ad managers"))
    advertiser = do_create_advertiser("Monsoon Umbrellas")
    starts = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        "/admin/snippets/dateline_ads/campaign/add/",
        {
            "advertiser": advertiser.pk,
            "name": "Rainy season",
            "starts_at": starts.strftime("%Y-%m-%d %H:%M"),
            "ends_at": "",
            "priority": 5,
            "daily_cap": "",
            "total_cap": "",
            "placements": [placement().pk],
            "target_tags": "",
            **nested_form_data({"target_pages": inline_formset([])}),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    campaign = Campaign.objects.get(name="Rainy season")
    assert list(campaign.placements.all()) == [placement()]
    response = client.post(
        "/admin/snippets/dateline_ads/creative/add/",
        {
            "campaign": campaign.pk,
            "name": "Umbrella, in words",
            "kind": "html",
            "html": '<p style="x">Stay dry <img src="https://track.example/p.gif">'
            "<script>alert(1)</script></p>",
            "click_url": "https://umbrellas.example/",
            "active": "on",
        },
    )
    assert response.status_code == 302
    creative = Creative.objects.get(name="Umbrella, in words")
    assert creative.html == "<p>Stay dry <img></p>"
    # Saved in the admin, shown at once.
    assert campaign_shown(client) == campaign.pk


def test_creative_with_a_javascript_link_is_refused_in_the_admin(client):
    client.force_login(user_in("Ad managers"))
    campaign = make_campaign(creatives=0)
    response = client.post(
        "/admin/snippets/dateline_ads/creative/add/",
        {
            "campaign": campaign.pk,
            "name": "Bad",
            "kind": "text",
            "headline": "Click",
            "click_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    assert "click_url" in response.context["form"].errors
    assert not Creative.objects.filter(name="Bad").exists()


def counted(campaign, day, impressions, clicks, key="article-inline-3"):
    creative = campaign.creatives.first()
    event = AdEvent(campaign.pk, creative.pk, placement(key).pk, day)
    add_to_database(event, impressions=impressions, clicks=clicks)


def test_report_shows_impressions_clicks_and_ctr_with_a_chart(client):
    today = timezone.localdate()
    rain = make_campaign("Rain boots")
    sun = make_campaign("Sun hats")
    counted(rain, today, 1000, 25)
    counted(rain, today - timedelta(days=1), 500, 5, key="article-end")
    counted(sun, today, 200, 0)
    counted(sun, today - timedelta(days=60), 9999, 9)  # outside the last 30 days
    client.force_login(user_in("Ad managers"))
    response = client.get("/admin/ads/report/")
    rows = [
        (row.label.split(": ")[1], row.impressions, row.clicks, round(row.ctr, 2))
        for row in response.context["rows"]
    ]
    assert sorted(rows) == [("Rain boots", 1500, 30, 2.0), ("Sun hats", 200, 0, 0.0)]
    html = response.content.decode()
    assert "2.00%" in html
    assert html.count('class="ad-report__impressions"') == 30
    by_day = client.get("/admin/ads/report/", {"by": "day"}).context["rows"]
    assert [(row.impressions, row.clicks) for row in by_day] == [(500, 5), (1200, 25)]
    by_placement = client.get(
        "/admin/ads/report/", {"by": "placement", "campaign": rain.pk}
    ).context["rows"]
    assert [(r.label, r.impressions) for r in by_placement] == [
        ("article-end", 500),
        ("article-inline-3", 1000),
    ]


def test_report_first_flushes_counts_kept_in_the_cache(client, settings):
    settings.DATELINE_AD_COUNT_IN_CACHE = True
    campaign = make_campaign()
    event = AdEvent(
        campaign.pk,
        campaign.creatives.get().pk,
        placement().pk,
        timezone.localdate(),
        "n1",
    )
    do_count(IMPRESSION, event, READER)
    do_count(CLICK, event, READER)
    client.force_login(user_in("Ad managers"))
    rows = client.get("/admin/ads/report/").context["rows"]
    assert [(row.impressions, row.clicks) for row in rows] == [(1, 1)]


def test_csv_for_invoicing_is_safe_to_open_in_a_spreadsheet(client):
    advertiser = do_create_advertiser('=HYPERLINK("https://evil.example","Pay")')
    campaign = make_campaign("+Spring", advertiser=advertiser)
    today = timezone.localdate()
    counted(campaign, today, 400, 8)
    client.force_login(user_in("Ad managers"))
    response = client.get("/admin/ads/report/", {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0] == [
        "day",
        "advertiser",
        "campaign",
        "creative",
        "placement",
        "impressions",
        "clicks",
        "ctr_percent",
    ]
    assert table[1] == [
        today.isoformat(),
        '\'=HYPERLINK("https://evil.example","Pay")',
        "'+Spring",
        "'+Spring creative 1",
        "article-inline-3",
        "400",
        "8",
        "2.00",
    ]


def test_report_needs_the_report_permission(client):
    client.force_login(user_in("Editors"))
    assert status(client, "/admin/ads/report/?format=csv") in (302, 403)
