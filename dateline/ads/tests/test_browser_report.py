"""The ad report as an ad manager sees it in Chromium: its title, the date boxes
holding the days shown, a chart whose axes, values and legend are on the page, and
each campaign's delivery against its cap."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dateline.testing.browser import chromium, log_in, make_staff

from .helpers import make_campaign
from .test_admin import counted

pytestmark = [pytest.mark.browser]


@pytest.fixture
def ad_desk(live_server, django_user_model):
    make_staff("amir", "Ad managers")
    today = timezone.localdate()
    rain = make_campaign("Rain boots", total_cap=4000, daily_cap=1500)
    counted(rain, today, 1000, 25)
    counted(rain, today - timedelta(days=1), 1000, 5)
    return live_server


@pytest.fixture
def browser(ad_desk):
    with chromium() as browser:
        yield browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ad_manager_reads_the_report(browser, ad_desk):
    page = log_in(browser, ad_desk.url, "amir")
    page.goto(f"{ad_desk.url}/admin/ads/report/")

    assert page.title().startswith("Ad report")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Ad report"
    today = timezone.localdate()
    assert page.locator("#id_start").input_value() == str(today - timedelta(days=29))
    assert page.locator("#id_end").input_value() == str(today)

    chart = page.locator(".ad-report__chart")
    assert chart.locator(".ad-report__y-axis text").first.is_visible()
    # SVG text has no innerText: its text content is what is drawn.
    scale = chart.locator(".ad-report__y-axis text").all_text_contents()
    assert scale[0] == "0" and scale[-1] == "1000"
    assert chart.locator(".ad-report__date").first.is_visible()
    values = chart.locator(".ad-report__value").all_text_contents()
    assert values == ["1000", "1000"]
    legend = chart.locator(".ad-report__legend")
    assert legend.is_visible()
    assert "Impressions" in legend.inner_text() and "Clicks" in legend.inner_text()

    row = page.locator("table.ad-delivery tbody tr").filter(has_text="Rain boots")
    cells = row.locator("td").all_inner_texts()
    assert cells[1:3] == ["2000", "4000"]
    assert "50%" in cells[3]
    assert cells[4] == "1000 / 1500"

    # A range chosen in the boxes is the range shown, and stays in them.
    page.locator("#id_start").fill(str(today))
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"start="))
    assert page.locator("#id_start").input_value() == str(today)
    assert chart.locator(".ad-report__value").all_text_contents() == ["1000"]
