"""The ad desk's report in the Wagtail admin: impressions, clicks and click-through
rate by campaign, creative, placement or day, with a chart, and CSV for invoicing."""

import csv
from datetime import timedelta

from django import forms
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import queries
from .actions import do_flush_counts
from .models import Campaign

CHART_WIDTH = 720
CHART_HEIGHT = 200
CHART_LEFT = 56  # room for the scale's numbers


class ReportForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    by = forms.ChoiceField(
        label=_("By"),
        required=False,
        choices=[
            ("campaign", _("Campaign")),
            ("creative", _("Creative")),
            ("placement", _("Placement")),
            ("day", _("Day")),
        ],
    )
    campaign = forms.ModelChoiceField(
        Campaign.objects.select_related("advertiser"),
        label=_("Campaign"),
        required=False,
    )

    def period(self):
        """The days asked for; the last 30 by default."""
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - timedelta(days=29)
        return (start, end) if start <= end else (end, start)

    def choice(self, name, default=None):
        return (self.cleaned_data.get(name) if self.is_valid() else None) or default


class ReportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = "dateline_ads.view_addailycount"
    raise_exception = True
    template_name = "ads/admin/report.html"
    page_title = _("Ad report")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        # Counts kept in the cache reach the table before anyone reads it.
        do_flush_counts()
        self.form = ReportForm(request.GET or None)
        if request.GET.get("format") == "csv":
            return invoice_csv(*self.form.period(), self._campaign_id())
        return super().get(request, *args, **kwargs)

    def shown_form(self, start, end):
        """The form as the page shows it: the date boxes hold the days reported
        on, the defaults included, so what is shown is what is in the boxes."""
        if self.form.is_bound and not self.form.is_valid():
            return self.form
        data = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "by": self.form.choice("by", "campaign"),
            "campaign": self._campaign_id() or "",
        }
        return ReportForm(data)

    def _campaign_id(self):
        campaign = self.form.choice("campaign")
        return campaign.pk if campaign else None

    def get_context_data(self, **kwargs):
        start, end = self.form.period()
        by = self.form.choice("by", "campaign")
        series = queries.daily_series(start, end, self._campaign_id())
        query = self.request.GET.copy()
        query["format"] = "csv"
        return super().get_context_data(
            form=self.shown_form(start, end),
            delivery=queries.delivery(start, end, self._campaign_id()),
            start=start,
            end=end,
            by=by,
            rows=queries.report(start, end, by, self._campaign_id()),
            chart=bar_chart(series),
            csv_query=query.urlencode(),
            **kwargs,
        )


def bar_chart(series):
    """Bars for an SVG with its axes: impressions per day, with that day's clicks
    inside; a scale on the left, dates below, values over the bars when they fit."""
    peak = nice_ceiling(max((row.impressions for row in series), default=0))
    step = CHART_WIDTH / max(len(series), 1)
    label_every = max(1, round(len(series) / 8))
    bars = []
    for index, row in enumerate(series):
        tall = CHART_HEIGHT * row.impressions / peak
        clicks = CHART_HEIGHT * row.clicks / peak
        x = round(index * step + 1, 1)
        bars.append(
            {
                "row": row,
                "x": x,
                "middle": round(x + step / 2 - 1, 1),
                "width": round(max(step - 2, 1), 1),
                "y": round(CHART_HEIGHT - tall, 1),
                "height": round(tall, 1),
                "click_y": round(CHART_HEIGHT - clicks, 1),
                "click_height": round(clicks, 1),
                "date_label": index % label_every == 0,
            }
        )
    ticks = [
        {"value": peak * n // 4, "y": round(CHART_HEIGHT - CHART_HEIGHT * n / 4, 1)}
        for n in range(5)
    ]
    return {
        "bars": bars,
        "ticks": ticks,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "peak": peak,
        "values_fit": step >= 22,
        "left": CHART_LEFT,
    }


def nice_ceiling(value: int) -> int:
    """The scale's top: ``value`` rounded up to 1, 2 or 5 times a power of ten, and
    divisible by four so the ticks are whole numbers."""
    if value <= 4:
        return 4
    power = 10 ** (len(str(value)) - 1)
    for factor in (1, 2, 5, 10):
        top = factor * power
        if top >= value and top % 4 == 0:
            return top
    return ((value + 3) // 4) * 4


def invoice_csv(start, end, campaign_id=None) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"ads-{start.isoformat()}-{end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "day",
            "advertiser",
            "campaign",
            "creative",
            "placement",
            "impressions",
            "clicks",
            "ctr_percent",
        ]
    )
    for count in queries.invoice_rows(start, end, campaign_id):
        ctr = 100 * count.clicks / count.impressions if count.impressions else 0
        writer.writerow(
            [
                count.day.isoformat(),
                safe_cell(count.campaign.advertiser.name),
                safe_cell(count.campaign.name),
                safe_cell(count.creative.name),
                safe_cell(count.placement.key),
                count.impressions,
                count.clicks,
                f"{ctr:.2f}",
            ]
        )
    return response


def safe_cell(value: str) -> str:
    """A spreadsheet must not run a name as a formula (CSV injection)."""
    value = str(value)
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
