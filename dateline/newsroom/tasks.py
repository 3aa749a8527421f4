"""The newsroom's background work: scheduled publishing, embargo lifts and the end
of a breaking-news banner, queued by the worker at ``DATELINE_SCHEDULER_INTERVAL``
(see ``wagtail_hooks.py``)."""

from datetime import timedelta

from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

EMBARGO_KEY = "dateline:scheduler:embargo-checked"
BANNER_KEY = "dateline:scheduler:banners-checked"


@task()
def publish_scheduled_pages() -> None:
    """Publish revisions whose scheduled time has come, and unpublish expired pages
    (Wagtail's ``publish_scheduled``, which does nothing twice)."""
    call_command("publish_scheduled", verbosity=0)


@task()
def lift_embargoes() -> int:
    return refresh_lifted_embargoes()


def refresh_lifted_embargoes(now=None) -> int:
    """Refresh caches for articles whose embargo ended since the last look; how
    many. Running it twice only refreshes twice."""
    from dateline.caching.tags import invalidate

    from .models import ArticlePage
    from .signals import embargoes_lifted

    now = now or timezone.now()
    since = cache.get(EMBARGO_KEY) or now - timedelta(days=1)
    lifted = list(
        ArticlePage.objects.live().filter(
            embargo_until__gt=since, embargo_until__lte=now
        )
    )
    for article in lifted:
        invalidate(article.cache_tags())
    if lifted:
        embargoes_lifted.send(sender=ArticlePage, articles=lifted)
    cache.set(EMBARGO_KEY, now, timeout=None)
    return len(lifted)


@task()
def expire_breaking_news() -> int:
    return refresh_expired_banners()


def refresh_expired_banners(now=None) -> int:
    """Retire cached pages that show a breaking-news banner whose expiry passed
    since the last look; how many banners expired. Every page carries the site
    settings' tag, so the banner leaves every cached page and the proxy at once."""
    from dateline.caching.tags import invalidate

    from .invalidation import SETTINGS_TAG
    from .models import BreakingNews

    now = now or timezone.now()
    since = cache.get(BANNER_KEY) or now - timedelta(days=1)
    expired = BreakingNews.objects.filter(
        expires_at__gt=since, expires_at__lte=now
    ).count()
    if expired:
        invalidate([SETTINGS_TAG])
    cache.set(BANNER_KEY, now, timeout=None)
    return expired
