from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date

from dateline.caching.tags import add_tags

from . import queries, sitemaps
from .links import root_url

# Crawlers have nothing to read in the admin, and comment endpoints are forms and
# per-article feeds that the articles themselves already link.
ROBOTS_DISALLOW = ["/admin/", "/django-admin/", "/comments/"]


def feed_view(feed_class, feed_type=None):
    """A view that builds a new feed per request.

    A ``Feed`` keeps the request on itself; one instance shared by every request, as
    Django's URLconf examples have it, would mix requests served by threads at once.
    """

    def view(request, *args, **kwargs):
        return feed_class(feed_type)(request, *args, **kwargs)

    return view


@sitemap_views.x_robots_tag
def sitemap_index(request):
    """The sitemap index, its addresses on the site's own origin.

    Django's ``index`` view writes them on the request's host and always lists every
    sitemap it is given; here the news sitemap is listed only while it has a story.
    """
    add_tags("front", queries.ARCHIVE_MONTHS_TAG)
    origin = root_url(request)
    entries = [
        sitemap_views.SitemapIndexItem(origin + url, lastmod)
        for url, lastmod in sitemaps.index_entries(request)
    ]
    dates = [entry.last_mod for entry in entries]
    headers = None
    if dates and None not in dates:
        headers = {"Last-Modified": http_date(max(dates).timestamp())}
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=headers,
    )


def sitemap(request, section):
    add_tags("front")
    sitemap = sitemaps.sitemap_for_section(request, section)
    if not sitemap.paginator.count:
        raise Http404("Nothing in this sitemap")  # an empty <urlset> is invalid
    return sitemap_views.sitemap(request, {section: sitemap}, section=section)


def news_sitemap(request):
    add_tags("front")
    news = sitemaps.NewsSitemap(request)
    if not news.items().exists():
        raise Http404("No story in the news sitemap's window")
    return sitemap_views.sitemap(
        request,
        {"news": news},
        template_name="dateline_syndication/news_sitemap.xml",
    )


def robots_txt(request):
    # The index lists the news sitemap whenever it has a story: naming it here too
    # would send crawlers to a 404 on quiet days.
    return TemplateResponse(
        request,
        "dateline_syndication/robots.txt",
        {
            "disallow": ROBOTS_DISALLOW,
            "sitemaps": [root_url(request) + reverse("syndication:sitemap_index")],
        },
        content_type="text/plain; charset=utf-8",
    )
