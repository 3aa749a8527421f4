"""Reads for the content API. Every one starts from ``published_articles()``, so the
API shows exactly what readers may see: live, public, past any embargo."""

import binascii
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.models import Max, Prefetch, Q
from wagtail.models import PageLogEntry

from dateline.newsroom.models import ArticleCorrection, ArticlePage, SectionPage
from dateline.newsroom.queries import articles_in_section, published_articles

CURSOR_SALT = "dateline.syndication.api.cursor"


class BadCursor(ValueError):
    """The cursor was not one this API issued."""


def encode_cursor(article) -> str:
    """An opaque, signed position after ``article`` in the newest-first listing."""
    value = [article.last_published_at.isoformat(), article.pk]
    return signing.dumps(value, salt=CURSOR_SALT, compress=False)


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        when, pk = signing.loads(cursor, salt=CURSOR_SALT)
        return datetime.fromisoformat(when), int(pk)
    except (signing.BadSignature, ValueError, TypeError, binascii.Error) as error:
        raise BadCursor(str(error)) from error


def listing(articles):
    """``articles`` newest change first, with what an API list item shows."""
    return articles.prefetch_related("tags").order_by("-last_published_at", "-pk")


def filtered_articles(*, section=None, tag=None, author=None, updated_since=None):
    """Released articles, narrowed by slugs (an unknown slug matches nothing)."""
    articles = published_articles()
    if section:
        found = SectionPage.objects.live().public().filter(slug=section)
        found = found.order_by("depth", "path").first()
        articles = articles_in_section(found) if found else articles.none()
    if tag:
        articles = articles.filter(tags__slug=tag).distinct()
    if author:
        articles = articles.filter(bylines__author__slug=author).distinct()
    if updated_since is not None:
        articles = articles.filter(last_published_at__gte=updated_since)
    return listing(articles)


def after(articles, position: tuple[datetime, int]):
    """The articles after ``position`` in newest-first order."""
    when, pk = position
    return articles.filter(
        Q(last_published_at__lt=when) | Q(last_published_at=when, pk__lt=pk)
    )


def article(pk: int):
    """One released article with everything its API detail shows, or None."""
    return (
        published_articles()
        .prefetch_related(
            "tags",
            Prefetch("corrections", queryset=_corrections()),
        )
        .filter(pk=pk)
        .first()
    )


def _corrections():
    return ArticleCorrection.objects.order_by("published_at", "pk")


def last_change():
    """When what the API shows last changed: a publication, an embargo lifting or an
    unpublication, whichever came last. None before anything was published."""
    released = published_articles().select_related(None).prefetch_related(None)
    # Each the newest off its index, not a MAX over every released story: the
    # database reads a few rows whatever the archive's size.
    published = _newest(released, "last_published_at")
    lifted = _newest(released.filter(embargo_until__isnull=False), "embargo_until")
    unpublished = PageLogEntry.objects.filter(
        action="wagtail.unpublish",
        content_type=ContentType.objects.get_for_model(ArticlePage),
    ).aggregate(at=Max("timestamp"))["at"]
    moments = [published, lifted, unpublished]
    return max((moment for moment in moments if moment), default=None)


def _newest(articles, field: str):
    return (
        articles.filter(**{f"{field}__isnull": False})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
