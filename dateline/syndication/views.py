from django.contrib.sitemaps import views as sitemap_views
from django.template.response import TemplateResponse
from django.urls import reverse

from dateline.caching.tags import add_tags

from . import sitemaps

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


def sitemap_index(request):
    add_tags("front")
    return sitemap_views.index(
        request,
        sitemaps.sitemaps_for_index(request),
        sitemap_url_name="syndication:sitemap",
    )


def sitemap(request, section):
    add_tags("front")
    sitemap = sitemaps.sitemap_for_section(request, section)
    return sitemap_views.sitemap(request, {section: sitemap}, section=section)


def news_sitemap(request):
    add_tags("front")
    return sitemap_views.sitemap(
        request,
        {"news": sitemaps.NewsSitemap(request)},
        template_name="dateline_syndication/news_sitemap.xml",
    )


def robots_txt(request):
    urls = [reverse("syndication:sitemap_index"), reverse("syndication:news_sitemap")]
    return TemplateResponse(
        request,
        "dateline_syndication/robots.txt",
        {
            "disallow": ROBOTS_DISALLOW,
            "sitemaps": [request.build_absolute_uri(url) for url in urls],
        },
        content_type="text/plain; charset=utf-8",
    )
