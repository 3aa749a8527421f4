"""Ad slots in pages, sponsored-article labels, and the slots' stylesheet link.

A slot on the page is the same for every reader: its label, its reserved box and data
attributes describing the page. What fills it is chosen per view by ``ads.js`` asking
``/ads/fill/`` (docs/ads.md), so pages stay cacheable.
"""

import re
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dateline.newsroom.jinja import render, url

from .. import conf
from ..backends import get_provider
from ..placements import Kind, slots_after_paragraph, slots_of
from ..queries import inventory
from ..selection import PageContext

register = template.Library()


@register.simple_tag(takes_context=True)
def ad_slots(context, kind, page=None, after=0):
    """Every enabled placement of ``kind`` (at position ``after``, for in-article and
    home-page placements)."""
    return _render(context, "ads/slots.html", slots_of(kind, after), page)


@register.simple_tag(takes_context=True)
def ad_slot_after_paragraph(context, paragraph_number, page=None):
    """The in-story slots that follow paragraph ``paragraph_number``."""
    slots = slots_after_paragraph(paragraph_number, _paragraphs(context, page))
    return _render(context, "ads/slots.html", slots, page)


@register.simple_tag(takes_context=True)
def ad_paragraphs(context, page=None) -> set[int]:
    """``{% ad_paragraphs page as numbers %}``: the paragraphs of ``page`` that have
    in-story slots after them. A story asks ``ad_slot_after_paragraph`` for those
    alone, not for every paragraph of the body."""
    paragraphs = _paragraphs(context, page)
    return {n for n in range(1, paragraphs) if slots_after_paragraph(n, paragraphs)}


@register.simple_tag(takes_context=True)
def ad_sidebar(context, page=None):
    """The sidebar placements in a column beside the page's main content; nothing at
    all, not even the column, when the ad desk has none."""
    return _render(context, "ads/sidebar.html", slots_of(Kind.SIDEBAR), page)


def _render(context, template_name, slots, page):
    # Slots are rendered on every view of a kept page: by Jinja2 (newsroom.jinja).
    if not slots:
        return ""
    described = _describe(context, page)
    provider = get_provider()
    label = conf.ad_label()
    return render(
        template_name,
        {
            "slots": [
                {
                    "slot": slot,
                    "fallback": provider.has_fallback(slot, described["context"]),
                    "name": _slot_name(context, label),
                }
                for slot in slots
            ],
            "label": label,
            "consent": provider.needs_consent(),
            "fill_url": url("ads:fill"),
            "impression_url": url("ads:impression"),
            **described,
        },
    )


@register.simple_tag
def ad_stylesheet_url():
    """The slots' stylesheet, versioned by the placements so browsers keep it."""
    return f"{reverse('ads:slots_css')}?v={inventory().digest}"


@register.simple_tag
def sponsored_notice(page):
    sponsorship = inventory().sponsored.get(getattr(page, "pk", None))
    if sponsorship is None:
        return ""
    context = {"sponsorship": sponsorship, "label": conf.sponsored_label()}
    return render("ads/sponsored_notice.html", context)


@register.simple_tag(takes_context=True)
def sponsored_label(context, article):
    """The "Sponsored" label on a sponsored article's card in a listing."""
    if getattr(article, "pk", None) not in inventory().sponsored:
        return ""
    return format_html('<p class="card__sponsored">{}</p>', conf.sponsored_label())


@register.tag
def sponsored_links(parser, token):
    """``{% sponsored_links page %}…{% endsponsored_links %}``: in a sponsored
    article every link to another site is marked rel="sponsored"."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("sponsored_links takes the page")
    nodelist = parser.parse(("endsponsored_links",))
    parser.delete_first_token()
    return SponsoredLinksNode(nodelist, parser.compile_filter(bits[1]))


LINK = re.compile(r"<a\s([^>]*)>", re.IGNORECASE)
REL = re.compile(r'\brel="([^"]*)"')


class SponsoredLinksNode(template.Node):
    def __init__(self, nodelist, page):
        self.nodelist = nodelist
        self.page = page

    def render(self, context):
        html = self.nodelist.render(context)
        page = self.page.resolve(context)
        if getattr(page, "pk", None) not in inventory().sponsored:
            return html
        # The body is already clean, quoted HTML (nh3 and our templates wrote it).
        return mark_safe(LINK.sub(_mark_sponsored, html))  # noqa: S308


def _mark_sponsored(match):
    attributes = match.group(1)
    if not re.search(r'\bhref="(https?:)?//', attributes):
        return match.group(0)
    rel = REL.search(attributes)
    if rel is None:
        return f'<a {attributes} rel="sponsored">'
    values = rel.group(1).split()
    if "sponsored" not in values:
        values.append("sponsored")
    marked = 'rel="{}"'.format(" ".join(values))
    return f"<a {REL.sub(marked, attributes, count=1)}>"


def _slot_name(context, label):
    """The slot's name as a landmark: its label and its number on the page, so a
    screen reader's list of landmarks tells one slot from the next."""
    key = "dateline_ads_slot_count"
    number = context.render_context.get(key, 0) + 1
    context.render_context[key] = number
    return _("%(label)s %(number)s") % {"label": label, "number": number}


def _describe(context, page):
    """The page as the slots' data attributes and the no-JavaScript query describe
    it; worked out once per page render."""
    cache = context.render_context
    key = ("dateline_ads_page", getattr(page, "pk", None))
    if key not in cache:
        cache[key] = _describe_page(context, page)
    return cache[key]


def _describe_page(context, page):
    from dateline.newsroom.models import ArticlePage, SectionPage
    from dateline.newsroom.queries import tag_slugs

    section_id = tags = None
    request = context.get("request")
    if isinstance(page, ArticlePage):
        section_id = page.section_id
        tags = tag_slugs(page, request)
    elif isinstance(page, SectionPage):
        section_id = page.pk
    site_id = None
    if request is not None:
        host, _, _ = request.get_host().partition(":")
        site_id = inventory().site_for(host, int(request.get_port() or 80))
    query = {"page": getattr(page, "pk", None), "section": section_id}
    query = {name: value for name, value in query.items() if value}
    if tags:
        query["tags"] = ",".join(tags)
    return {
        "context": PageContext(
            getattr(page, "pk", None), section_id, frozenset(tags or ()), site_id
        ),
        "page_id": getattr(page, "pk", None) or "",
        "section_id": section_id or "",
        "tags": ",".join(tags or ()),
        "query": urlencode(query),
    }


def _paragraphs(context, page) -> int:
    key = ("dateline_ads_paragraphs", getattr(page, "pk", None))
    if key not in context.render_context:
        # Counted on the stored blocks: making them into values would read the
        # body's images from the database for nothing.
        body = getattr(getattr(page, "body", None), "raw_data", None) or []
        count = sum(1 for block in body if block["type"] == "paragraph")
        context.render_context[key] = count
    return context.render_context[key]
