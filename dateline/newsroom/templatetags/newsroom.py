from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from dateline.caching.tags import cached

from ..invalidation import SETTINGS_TAG

register = template.Library()


@register.simple_tag(takes_context=True)
def paragraph_with_dateline(context, block, dateline):
    """Render a paragraph block with the dateline opening its first line.

    The dateline sits in its own element inside the first ``<p>``, so it reads as one
    line with the story and can be styled apart from it.
    """
    html = str(block.render(context=context.flatten())).strip()
    if not dateline:
        return mark_safe(html)  # noqa: S308 - already rendered and escaped by the block
    opening = format_html('<span class="dateline">{}</span> – ', dateline)
    if html.startswith("<p>"):
        return mark_safe(f"<p>{opening}{html[3:]}")  # noqa: S308 - built by format_html
    return format_html("<p>{}</p>{}", opening, mark_safe(html))  # noqa: S308


@register.inclusion_tag("newsroom/includes/section_nav.html")
def section_nav():
    from dateline.caching.tags import cached

    from ..models import SectionPage

    def build():
        sections = SectionPage.objects.live().public().filter(depth=3).order_by("path")
        return [(section.title, section.url) for section in sections]

    return {"sections": cached("section-nav", build, ["menu"])}


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


@register.inclusion_tag("newsroom/includes/breaking_news.html", takes_context=True)
def breaking_news(context):
    from ..models import BreakingNews

    request = context.get("request")
    banner = BreakingNews.for_request(request) if request else None
    if banner is None or not banner.is_showing():
        return {"banner": None}
    # The chosen story's address is kept with the settings; the story's own changes
    # (moved, taken down) retire it too.
    key = f"breaking-news:{banner.pk}:{banner.link_page_id}"
    tags = [
        SETTINGS_TAG,
        f"page:{banner.link_page_id}",
        f"article:{banner.link_page_id}",
    ]
    link = cached(key, banner.href, tags if banner.link_page_id else [SETTINGS_TAG])
    return {"banner": {"text": banner.text, "link": link}}
