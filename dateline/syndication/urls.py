from django.urls import include, path

from . import views
from .feeds import ArticleFeed, AtomFeed, AuthorFeed, JSONFeed, SectionFeed, TagFeed

app_name = "syndication"


def feed_urls(prefix, feed_class, name):
    """RSS at ``prefix``, Atom at ``prefix/atom/``, JSON Feed at ``prefix/json/``."""
    return [
        path(prefix, views.feed_view(feed_class), name=name),
        path(
            f"{prefix}atom/", views.feed_view(feed_class, AtomFeed), name=f"{name}_atom"
        ),
        path(
            f"{prefix}json/", views.feed_view(feed_class, JSONFeed), name=f"{name}_json"
        ),
    ]


urlpatterns = [
    *feed_urls("feed/", ArticleFeed, "feed"),
    *feed_urls("feeds/section/<slug:slug>/", SectionFeed, "section_feed"),
    *feed_urls("feeds/tag/<slug:slug>/", TagFeed, "tag_feed"),
    *feed_urls("feeds/author/<slug:slug>/", AuthorFeed, "author_feed"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-news.xml", views.news_sitemap, name="news_sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("api/v1/", include("dateline.syndication.api.urls")),
]
