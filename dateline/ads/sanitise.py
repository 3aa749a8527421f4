"""HTML ads, cleaned with nh3 so a pasted ad tag cannot run script, restyle the page or
make a reader's browser call another host."""

import re

import nh3

TAGS = {"a", "b", "br", "div", "em", "i", "img", "p", "small", "span", "strong"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}


def _same_site_images(tag: str, attribute: str, value: str) -> str | None:
    # An image from another host would be a third-party request on every view.
    if tag == "img" and attribute == "src":
        return value if value.startswith("/") and not value.startswith("//") else None
    return value


def sanitise_creative_html(html: str) -> str:
    """Only the tags above survive; links go to http(s) and carry rel="sponsored"."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="sponsored noopener",
        attribute_filter=_same_site_images,
        strip_comments=True,
    ).strip()


# Where the click address goes in an HTML ad; filled in per view with a signed URL.
CLICK_PLACEHOLDER = "/ads/click/--click--/"
LINK_WITHOUT_HREF = re.compile(r"<a\b(?![^>]*\bhref=)", re.IGNORECASE)


def point_links_at(html: str, url: str) -> str:
    """Every link of an HTML ad goes to ``url``, so its clicks are counted too."""
    if not html:
        return ""
    # A link whose address was unsafe lost it when cleaned; give it one again.
    html = LINK_WITHOUT_HREF.sub('<a href="#"', html)
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="sponsored noopener",
        attribute_filter=lambda tag, attribute, value: (
            url if (tag, attribute) == ("a", "href") else value
        ),
        strip_comments=True,
    ).strip()
