"""Reads of published articles for listings. Each costs a fixed number of queries."""

from django.db.models import Prefetch

from .models import ArticleByline, ArticlePage

LATEST_ON_FRONT = 12


def published_articles():
    """Articles readers may see, newest first, with what a listing card shows."""
    return (
        ArticlePage.objects.released()
        .select_related("section", "lead_image")
        .prefetch_related(
            "lead_image__renditions",
            Prefetch(
                "bylines", queryset=ArticleByline.objects.select_related("author")
            ),
        )
        .order_by("-first_published_at", "-pk")
    )


def front_page(home):
    """The lead story and the latest articles after it, for the home page."""
    articles = published_articles()
    lead = (
        articles.filter(pk=home.lead_story_id).first() if home.lead_story_id else None
    )
    if lead is None:
        latest = list(articles[: LATEST_ON_FRONT + 1])
        lead = latest.pop(0) if latest else None
    else:
        latest = list(articles.exclude(pk=lead.pk)[:LATEST_ON_FRONT])
    return {"lead": lead, "latest": latest}


def articles_in_section(section):
    return published_articles().descendant_of(section)


def articles_by_author(author):
    return published_articles().filter(bylines__author=author)


def articles_tagged(tag):
    return published_articles().filter(tags=tag)
