"""What the newsroom's changes affect, as cache tags (``dateline.caching.tags``).

An article's publish affects its own page, the listings of its sections, tags and
authors, and the site-wide listings (``front``: the home page, feeds, sitemaps).
``urls_for_tags`` gives the addresses of those for a proxy that purges by URL; the
newsroom registers it as a ``dateline_urls_for_cache_tags`` hook (wagtail_hooks.py),
as syndication registers its own feeds and sitemaps.
"""

from django.urls import NoReverseMatch, reverse

from dateline.caching.tags import cached

SETTINGS_TAG = "site-settings"


def article_tags(article) -> list[str]:
    """The tags a change to ``article`` (published, unpublished, lifted) affects."""
    from .models import SectionPage

    tags = [f"article:{article.pk}", "front"]
    section_paths = [
        article.path[:end] for end in range(0, len(article.path), article.steplen)
    ]
    sections = SectionPage.objects.filter(path__in=section_paths[1:])
    tags += [f"section:{pk}" for pk in sections.values_list("pk", flat=True)]
    tags += [f"section:{section.pk}" for section in article.also_in.all()]
    tags += [f"tag:{slug}" for slug in article.tags.values_list("slug", flat=True)]
    tags += [f"author:{byline.author_id}" for byline in article.bylines.all()]
    return tags


def urls_for_tags(tags) -> list[str]:
    """Addresses of the newsroom's pages that carry ``tags``."""
    from wagtail.models import Page, Site

    from .models import Author

    ids = {int(t.split(":")[1]) for t in tags if t.split(":")[0] in PAGE_TAG_KINDS}
    urls = [page.full_url for page in Page.objects.filter(pk__in=ids).specific()]
    if "front" in tags:
        corrections = reverse("newsroom:corrections")
        for site in Site.objects.all():
            urls += [site.root_url + "/", site.root_url + corrections]
    root = _default_root()
    urls += [root + _reverse("newsroom:tag", t[4:]) for t in tags if t[:4] == "tag:"]
    author_ids = [int(t[7:]) for t in tags if t[:7] == "author:"]
    for author in Author.objects.filter(pk__in=author_ids):
        urls.append(root + author.get_absolute_url())
    return [url for url in urls if url]


PAGE_TAG_KINDS = {"article", "section", "page", "comments-of"}


def _default_root() -> str:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""


def _reverse(name, slug) -> str:
    try:
        return reverse(name, args=[slug])
    except NoReverseMatch:
        return ""


class CachedSetting:
    """Mixin for Wagtail site settings read on every page: kept in the cache until a
    site setting is saved (the ``site-settings`` tag, which every page carries)."""

    def cache_tags(self) -> list[str]:
        return [SETTINGS_TAG]

    @classmethod
    def for_site(cls, site):
        if site is None:  # a host no site answers: its 404 page shows the defaults
            return cls()
        parent = super()
        key = f"setting:{cls._meta.label_lower}:{getattr(site, 'pk', None)}"
        return cached(key, lambda: parent.for_site(site), [SETTINGS_TAG])
