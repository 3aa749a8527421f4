from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from dateline.caching.shells import do_per_view
from dateline.caching.tags import cached

from ..invalidation import SETTINGS_TAG
from ..jinja import render

register = template.Library()
# ``{% per_view %}…{% endper_view %}``: a part of a kept page rendered on every view.
register.tag("per_view", do_per_view)


@register.simple_tag(takes_context=True)
def paragraph_with_dateline(context, block, dateline):
    """Render a paragraph block with the dateline opening its first line."""
    from ..body import with_dateline

    return with_dateline(str(block.render(context=context.flatten())), dateline)


@register.simple_tag(takes_context=True)
def article_body(context, article, dateline):
    """``{% article_body page dateline as parts %}``: the body's blocks as HTML, each
    with its paragraph number, rendered once per content and code version
    (``newsroom.body``)."""
    from ..body import body_parts

    return body_parts(article, dateline, context.get("request"))


@register.simple_tag(takes_context=True)
def section_nav(context):
    """The sections menu, kept as HTML until the menu changes."""
    return _cached_html(
        context,
        "section-nav-html",
        "newsroom/includes/section_nav.html",
        lambda: {"sections": _sections()},
        ["menu"],
    )


def _sections():
    from ..models import SectionPage

    def build():
        sections = SectionPage.objects.live().public().filter(depth=3).order_by("path")
        return [(section.title, section.url) for section in sections]

    return cached("section-nav", build, ["menu"])


SHARE_TARGETS = [
    (
        "x",
        "X",
        "https://x.com/intent/post?{}",
        lambda url, title: {"url": url, "text": title},
    ),
    (
        "facebook",
        "Facebook",
        "https://www.facebook.com/sharer/sharer.php?{}",
        lambda url, title: {"u": url},
    ),
    (
        "whatsapp",
        "WhatsApp",
        "https://wa.me/?{}",
        lambda url, title: {"text": f"{title} {url}"},
    ),
    (
        "linkedin",
        "LinkedIn",
        "https://www.linkedin.com/sharing/share-offsite/?{}",
        lambda url, title: {"url": url},
    ),
    (
        "telegram",
        "Telegram",
        "https://t.me/share/url?{}",
        lambda url, title: {"url": url, "text": title},
    ),
    (
        "email",
        "Email",
        "mailto:?{}",
        lambda url, title: {"subject": title, "body": url},
    ),
]


@register.inclusion_tag("newsroom/includes/share.html")
def share_links(url, title):
    """Plain links to each network's share dialog: no script of theirs loads here."""
    from urllib.parse import quote, urlencode

    links = [
        {
            "key": key,
            "name": name,
            "href": pattern.format(urlencode(params(url, title), quote_via=quote)),
        }
        for key, name, pattern, params in SHARE_TARGETS
    ]
    return {"links": links, "url": url}


@register.filter
def machine_time(value):
    """``value`` for a ``<time datetime>``: ISO 8601 in the site's time zone, to the
    second. Django's ``date:"c"`` keeps microseconds, which HTML does not allow."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds")


@register.filter
def dateline_for(article, outlet_name):
    return article.dateline(outlet_name)


@register.simple_tag(takes_context=True)
def breaking_news(context):
    """The banner over every page while one is showing; rendered on every view of a
    kept page, by Jinja2 (``newsroom.jinja``)."""
    from ..models import BreakingNews

    request = context.get("request")
    banner = BreakingNews.for_request(request) if request else None
    if banner is None or not banner.is_showing():
        return ""
    # The chosen story's address is kept with the settings; the story's own changes
    # (moved, taken down) retire it too.
    key = f"breaking-news:{banner.pk}:{banner.link_page_id}"
    tags = [
        SETTINGS_TAG,
        f"page:{banner.link_page_id}",
        f"article:{banner.link_page_id}",
    ]
    link = cached(key, banner.href, tags if banner.link_page_id else [SETTINGS_TAG])
    banner = {"text": banner.text, "link": link}
    return render("newsroom/breaking_news.html", {"banner": banner})


@register.simple_tag
def byline(article):
    """``<p class="byline">By A, B and C</p>``, rendered on every view of a kept page
    (an author's new name shows at once), by Jinja2."""
    return render("newsroom/byline.html", {"authors": article.authors})


def _cached_html(context, key, template_name, build_context, tags):
    """``template_name`` rendered with ``build_context()``, kept as HTML until one of
    ``tags`` is invalidated: a fragment many page views repeat costs one cache read,
    and its queries only when something it shows has changed."""
    from django.template.loader import render_to_string
    from django.utils.translation import get_language
    from wagtail.models import Site

    from dateline.caching.tags import cached

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    full_key = f"{key}:{getattr(site, 'pk', 0)}:{get_language()}"

    def build():
        return render_to_string(template_name, build_context(), request=request)

    if getattr(request, "is_preview", False):  # a draft's tags are not the page's
        return mark_safe(build())  # noqa: S308 - rendered by a template
    return mark_safe(cached(full_key, build, tags))  # noqa: S308 - rendered by a template


@register.simple_tag(takes_context=True)
def author_box(context, article):
    """A box per author of ``article``: photo, title, a short bio, their page."""
    from django.db.models import prefetch_related_objects

    def build_context():
        authors = list(article.authors)
        prefetch_related_objects(
            [a for a in authors if a.photo_id], "photo", "photo__renditions"
        )
        return {"authors": authors}

    tags = [f"article:{article.pk}", "bylines"]
    return _cached_html(
        context,
        f"author-box:{article.pk}",
        "newsroom/includes/author_box.html",
        build_context,
        tags,
    )


@register.simple_tag(takes_context=True)
def after_the_story(context, article):
    """Related stories (shared tags) and more from the story's section."""
    from ..queries import after_the_story as read

    tags = list(article.tags.all())

    def build_context():
        stories = read(article, [tag.pk for tag in tags])
        return {**stories, "article": article, "section": article.section}

    cache_tags = [
        f"article:{article.pk}",
        "bylines",
        "ads-inventory",
        *([f"section:{article.section_id}"] if article.section_id else []),
        *(f"tag:{tag.slug}" for tag in tags),
    ]
    return _cached_html(
        context,
        f"after-story:{article.pk}",
        "newsroom/includes/after_story.html",
        build_context,
        cache_tags,
    )


def _site_of(context):
    from wagtail.models import Site

    request = context.get("request")
    return Site.find_for_request(request) if request else None


@register.simple_tag(takes_context=True)
def site_icons(context):
    """The icon links, the manifest link and the theme colour of every page, kept
    as HTML until the site's settings change."""
    site = _site_of(context)
    return _cached_html(
        context,
        "site-icons-html",
        "newsroom/includes/site_icons.html",
        lambda: _site_icons(site),
        [SETTINGS_TAG],
    )


def _site_icons(site):
    from ..identity import FALLBACK_ICON, icon_urls
    from ..models import OutletSettings

    return {
        "icons": icon_urls(site) if site else {},
        "fallback": FALLBACK_ICON,
        "theme_colour": OutletSettings.for_site(site).theme_colour,
    }


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The outlet's name, its chosen footer pages and its social accounts, kept as
    HTML until the site's settings or the menu change (and for the year it shows)."""
    site = _site_of(context)
    return _cached_html(
        context,
        f"site-footer-html:{timezone.localdate().year}",
        "newsroom/includes/site_footer.html",
        lambda: _site_footer(site),
        [SETTINGS_TAG, "menu"],
    )


def _site_footer(site):
    from ..models import OutletSettings, PlainPage

    outlet = OutletSettings.for_site(site)

    def build():
        ids = outlet.footer_page_ids()
        pages = PlainPage.objects.live().public().in_bulk(ids) if ids else {}
        return [(pages[pk].title, pages[pk].url) for pk in ids if pk in pages]

    key = f"footer-pages:{getattr(site, 'pk', 0)}"
    return {
        "outlet": outlet,
        "pages": cached(key, build, [SETTINGS_TAG, "menu"]) if site else [],
        "social": outlet.social_links(),
    }
