"""An article's body as HTML, rendered once and kept until what it is made of changes.

Rendering the StreamField blocks of a story (rich text with its links expanded, images
with their renditions, quotes) was a large share of a cold article view, though the
body changes only when the story is saved again. Here the blocks are rendered once
and the HTML is kept in the shared cache under a key made of everything it comes
from:

- the blocks as stored, so a new revision (or any other save of the body) is a new
  key and the old entry is never read again;
- the dateline that opens the first paragraph, and the language;
- the version of the code that renders them (``code_version``): the block templates
  as Django loads them (an outlet's overrides included), this module and the blocks'
  module with the sanitiser's rules (``blocks.sanitiser_version``; paragraphs are
  sanitised again as they are rendered here), and the versions of Dateline, Wagtail
  and Django, so a deploy that changes any of them renders every body again.

Images shown in the body and pages it links to carry cache tags (``image:<id>``,
``article:<id>``, ``page:<id>``): a new file or a moved page retires the entry.
What surrounds the body on the page (ad slots between paragraphs, sponsorship
marks) is placed per request around these parts; a preview renders afresh.
"""

import hashlib
import inspect
import json
import re
import sys
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import NamedTuple

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.rich_text import RichText

from dateline.caching.tags import cached

from .blocks import sanitise_rich_text

KEPT_SECONDS = 7 * 24 * 3600
_LINK = re.compile(r"<a\s[^>]*>")
_PAGE_ID = re.compile(r'\bid="(\d+)"')


class BodyPart(NamedTuple):
    """One block's HTML, and its number among the paragraphs (``None`` for a block
    that is not a paragraph): ad slots are placed after numbered paragraphs."""

    html: SafeString
    paragraph_number: int | None


def body_parts(article, dateline: str, request=None) -> list[BodyPart]:
    """``article``'s body as HTML, block by block, with ``dateline`` opening its
    first paragraph; rendered once per content and code version."""

    def build():
        return [tuple(part) for part in render_parts(article, dateline)]

    # A draft is not worth keeping; while developing, templates change under a
    # running process, whose code version would not see it.
    if getattr(request, "is_preview", False) or settings.DEBUG:
        parts = build()
    else:
        raw = list(article.body.raw_data)
        parts = cached(
            f"article-body:{article.pk}:{_digest(raw, dateline)}",
            build,
            _tags(raw),
            timeout=KEPT_SECONDS,
            page_tags=[],
        )
    return [BodyPart(mark_safe(html), number) for html, number in parts]  # noqa: S308


def render_parts(article, dateline: str) -> list[BodyPart]:
    """The body's blocks rendered now (what ``body_parts`` keeps)."""
    parts = []
    context = {"page": article}
    for item in article.body_items():
        html = str(_render(item.block, context))
        if item.paragraph_number == 1:
            html = with_dateline(html, dateline)
        parts.append(BodyPart(html, item.paragraph_number))
    return parts


def _render(child, context):
    if child.block_type != "paragraph":
        return child.render(context=context)
    # Sanitised again, under today's rules, though it was when stored: a rule made
    # stricter applies to stories stored before it. Once per content version.
    value = RichText(sanitise_rich_text(child.value.source))
    return child.block.render(value, context=context)


def with_dateline(html: str, dateline: str) -> SafeString:
    """A rendered paragraph with the dateline opening its first line.

    The dateline sits in its own element inside the first ``<p>``, so it reads as one
    line with the story and can be styled apart from it.
    """
    html = html.strip()
    if not dateline:
        return mark_safe(html)  # noqa: S308 - already rendered and escaped by the block
    opening = format_html('<span class="dateline">{}</span> – ', dateline)
    if html.startswith("<p>"):
        return mark_safe(f"<p>{opening}{html[3:]}")  # noqa: S308 - built by format_html
    return format_html("<p>{}</p>{}", opening, mark_safe(html))  # noqa: S308


def paragraph_count(article) -> int:
    """How many paragraphs the body has, read from the stored blocks (no block is
    made into its value, so no image is read from the database)."""
    return sum(1 for block in article.body.raw_data if block["type"] == "paragraph")


@cache
def code_version() -> str:
    """A digest of the code that turns stored blocks into HTML, as this process runs
    it: worked out once per process, so a deploy (new processes) starts afresh."""
    import django
    import wagtail
    from django.template.loader import get_template

    from . import blocks
    from .models import ArticlePage

    digest = hashlib.sha256()
    stream = ArticlePage._meta.get_field("body").stream_block
    for name in sorted(_template_names(stream)):
        digest.update(name.encode())
        digest.update(get_template(name).template.source.encode())
    for module in (blocks, sys.modules[__name__]):
        digest.update(_source_of(module).encode())
    digest.update(blocks.sanitiser_version().encode())
    for package in (_dateline_version(), wagtail.__version__, django.__version__):
        digest.update(package.encode())
    return digest.hexdigest()[:16]


def _source_of(module) -> str:
    try:
        return inspect.getsource(module)
    except (OSError, TypeError):  # installed without sources: the version stands in
        return module.__name__


def _dateline_version() -> str:
    try:
        return version("dateline")
    except PackageNotFoundError:  # run from a checkout: its sources are in the digest
        return ""


def _template_names(block) -> set[str]:
    names = {block.meta.template} if getattr(block.meta, "template", None) else set()
    for child in getattr(block, "child_blocks", {}).values():
        names |= _template_names(child)
    return names


def _digest(raw, dateline: str) -> str:
    source = json.dumps(
        [raw, dateline, get_language(), code_version()],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(source.encode()).hexdigest()[:32]


def _tags(raw) -> list[str]:
    tags = []
    for block in raw:
        value = block.get("value")
        if block["type"] == "image" and isinstance(value, dict) and value.get("image"):
            tags.append(f"image:{value['image']}")
        elif block["type"] == "paragraph" and isinstance(value, str):
            for link in _LINK.findall(value):
                page = _PAGE_ID.search(link) if 'linktype="page"' in link else None
                if page:
                    tags += [f"article:{page[1]}", f"page:{page[1]}"]
    return tags
