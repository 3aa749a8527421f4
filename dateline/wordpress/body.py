"""From a WordPress post's content to the article body's StreamField blocks.

Gutenberg posts carry their structure in ``<!-- wp:name {...} -->`` comments; classic
posts are HTML with bare line breaks that WordPress turns into paragraphs when it
shows them (``wpautop``). Both end as the same blocks an editor makes, every bit of
HTML through the newsroom's own sanitiser. What could not be kept is noted in
``BodyResult.notes`` for the import report.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from dateline.newsroom.blocks import sanitise_rich_text

# What the paragraph block keeps; anything else found in a post is reported.
KEPT_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "ul", "ol", "li"}
KEPT_ATTRIBUTES = {"href"}
# Wrappers whose content is kept while the wrapper goes without a word.
QUIET_TAGS = KEPT_TAGS | {"html", "body", "div", "span", "figure", "figcaption", "img"}
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote"}
BLOCK_TAGS |= {"figure", "table", "pre", "div", "hr", "img", "iframe", "script"}
BLOCK_TAGS |= {"style", "dl-embed", "dl-gallery", "section", "aside", "video"}

BLOCK_COMMENT = re.compile(
    r"<!--\s+(/)?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+(\{.*?\}\s+)?(/)?-->",
    re.DOTALL,
)
SHORTCODE = re.compile(
    r"\[(\[?)([A-Za-z][\w-]*)(\s[^\]]*)?(/)?\](?:(.*?)\[/\2\])?(\]?)", re.DOTALL
)
SHORTCODE_ATTR = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
MORE = re.compile(r"<!--\s*(more|noteaser)\b.*?-->", re.DOTALL)
NEXTPAGE = re.compile(r"<!--\s*nextpage\s*-->")
URL_LINE = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$")


@dataclass
class ImageRef:
    """An image the body points at: by attachment id, or by its old address."""

    wp_id: int | None
    src: str
    alt: str = ""
    caption: str = ""


@dataclass
class BodyResult:
    blocks: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# Looks up an imported image: returns its pk, or None when it was not imported.
ImageLookup = Callable[[ImageRef], int | None]


def convert(content: str, find_image: ImageLookup) -> BodyResult:
    """The blocks for ``content``, Gutenberg or classic."""
    result = BodyResult()
    content = NEXTPAGE.sub("\n\n", MORE.sub("", content or ""))
    builder = _Builder(result, find_image)
    if BLOCK_COMMENT.search(content):
        for name, attrs, inner in gutenberg_blocks(content):
            builder.gutenberg(name, attrs, inner)
    else:
        builder.html(wpautop(builder.shortcodes(content)))
    return result


def gutenberg_blocks(content: str):
    """Top-level blocks as (name, attributes, inner HTML); text between blocks is
    classic HTML and comes as a ``freeform`` block, as WordPress treats it."""
    position, depth = 0, 0
    start_name, start_attrs, start_at = "", {}, 0
    for match in BLOCK_COMMENT.finditer(content):
        closing, name, raw_attrs, self_closing = match.groups()
        name = name if "/" in name else f"core/{name}"
        if depth == 0:
            between = content[position : match.start()]
            if between.strip():
                yield "core/freeform", {}, between
        if closing:
            depth -= 1
            if depth == 0:
                yield start_name, start_attrs, content[start_at : match.start()]
                position = match.end()
            continue
        attrs = _json(raw_attrs)
        if self_closing:
            if depth == 0:
                yield name, attrs, ""
                position = match.end()
            continue
        if depth == 0:
            start_name, start_attrs, start_at = name, attrs, match.end()
        depth += 1
    rest = content[position:] if depth == 0 else content[start_at:]
    if rest.strip():
        yield (
            (start_name if depth else "core/freeform"),
            (start_attrs if depth else {}),
            rest,
        )


def _json(raw: str | None) -> dict:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def wpautop(text: str) -> str:
    """Paragraphs from blank lines and ``<br>`` from single line breaks, leaving
    block-level HTML alone: what WordPress does to classic content on display."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        first = re.match(r"<\s*([a-zA-Z][\w-]*)", chunk)
        if first and first.group(1).lower() in BLOCK_TAGS:
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def _attrs(raw: str | None) -> dict[str, str]:
    found = {}
    for match in SHORTCODE_ATTR.finditer(raw or ""):
        key, *values = match.groups()
        found[key.lower()] = next((v for v in values if v is not None), "")
    return found


class _Builder:
    def __init__(self, result: BodyResult, find_image: ImageLookup):
        self.result, self.find_image = result, find_image
        self.reported: set[str] = set()

    # -- notes and blocks -------------------------------------------------------

    def note(self, text: str) -> None:
        if text not in self.reported:
            self.reported.add(text)
            self.result.notes.append(text)

    def add(self, block_type: str, value) -> None:
        self.result.blocks.append({"type": block_type, "value": value})

    def paragraph(self, html_source: str) -> None:
        clean = sanitise_rich_text(html_source).strip()
        if _plain(clean):
            if not clean.startswith(("<p", "<ul", "<ol")):
                clean = f"<p>{clean}</p>"
            self.add("paragraph", clean)

    def image(self, ref: ImageRef, caption: str = "") -> None:
        pk = self.find_image(ref)
        if pk is None:
            self.note(f"missing image: {ref.src or ref.wp_id}")
            return
        value = {"image": pk, "caption": (caption or ref.caption)[:300], "credit": ""}
        self.add("image", value)

    def embed(self, url: str, caption: str = "") -> None:
        url = url.strip()
        if url.startswith(("http://", "https://")):
            self.add("embed", {"url": url, "title": "", "caption": caption[:300]})
        else:
            self.note(f"embed without an address removed: {url[:80]}")

    # -- shortcodes -------------------------------------------------------------

    def shortcodes(self, text: str) -> str:
        """Replace the shortcodes we understand with markup the walker reads;
        unknown ones stay as text and are reported, never run."""

        def replace(match):
            escaped_open, name, raw, _, inner, escaped_close = match.groups()
            if escaped_open and escaped_close:  # [[name]] is WordPress's literal
                return match.group(0)[1:-1]
            attrs = _attrs(raw)
            name = name.lower()
            if name in {"caption", "wp_caption"}:
                return self._caption(attrs, inner or "")
            if name == "gallery":
                ids = attrs.get("ids", "")
                return (
                    f'\n\n<dl-gallery data-ids="{html.escape(ids)}"></dl-gallery>\n\n'
                )
            if name in {"embed", "video", "audio"}:
                url = (inner or attrs.get("src") or attrs.get("url") or "").strip()
                return f'\n\n<dl-embed data-url="{html.escape(url)}"></dl-embed>\n\n'
            self.note(f"unknown shortcode kept as text: [{name}]")
            return match.group(0)

        return SHORTCODE.sub(replace, text)

    def _caption(self, attrs, inner):
        fragment = lxml.html.fragment_fromstring(inner, create_parent="div")
        text = "".join(fragment.itertext()).strip() or attrs.get("caption", "")
        image = next(iter(fragment.iter("img")), None)
        if image is None:
            return f"<p>{html.escape(text)}</p>"
        ident = attrs.get("id", "").removeprefix("attachment_")
        src, alt = html.escape(image.get("src", "")), html.escape(image.get("alt", ""))
        return (
            f'\n\n<figure data-id="{html.escape(ident)}"><img src="{src}" '
            f'alt="{alt}"><figcaption>{html.escape(text)}</figcaption></figure>\n\n'
        )

    # -- Gutenberg --------------------------------------------------------------

    def gutenberg(self, name: str, attrs: dict, inner: str) -> None:
        short = name.removeprefix("core/")
        if short in {"paragraph", "list", "freeform", "html", "heading", "quote"}:
            if short == "html":
                self.note("custom HTML block converted")
            if short == "freeform":
                inner = wpautop(self.shortcodes(inner))
            self.html(inner)
        elif short == "pullquote":
            self.pullquote(inner)
        elif short == "image":
            self.gutenberg_image(attrs, inner)
        elif short == "gallery":
            self.gutenberg_gallery(attrs, inner)
        elif (
            short == "embed"
            or short.startswith("embed")
            or name.startswith("core-embed/")
        ):
            self.embed(attrs.get("url", ""), _text_of(inner, "figcaption"))
        elif short in {"separator", "spacer", "more", "nextpage"}:
            pass  # layout only; the article's design spaces its blocks
        elif short in {"columns", "column", "group"}:
            for child in gutenberg_blocks(inner):
                self.gutenberg(*child)
        elif short in {"code", "preformatted", "verse"}:
            self.code(inner)
        elif short == "table":
            self.table(inner)
        elif short == "shortcode":
            self.html(wpautop(self.shortcodes(inner)))
        else:
            self.note(f"block {name} converted to text")
            self.html(inner)

    def gutenberg_image(self, attrs, inner):
        fragment = _fragment(inner)
        image = next(iter(fragment.iter("img")), None)
        ref = ImageRef(
            wp_id=attrs.get("id") if isinstance(attrs.get("id"), int) else None,
            src=image.get("src", "") if image is not None else "",
            alt=image.get("alt", "") if image is not None else "",
        )
        self.image(ref, _text_of(inner, "figcaption"))

    def gutenberg_gallery(self, attrs, inner):
        inner_blocks = list(gutenberg_blocks(inner))
        if any(name == "core/image" for name, _, _ in inner_blocks):
            for child in inner_blocks:
                self.gutenberg(*child)
            return
        ids = [i for i in attrs.get("ids", []) if isinstance(i, int)]
        if ids:
            for wp_id in ids:
                self.image(ImageRef(wp_id=wp_id, src=""))
            return
        for image in _fragment(inner).iter("img"):
            self.image(ImageRef(wp_id=None, src=image.get("src", "")))

    def pullquote(self, inner):
        fragment = _fragment(inner)
        cite = " ".join(c.text_content().strip() for c in fragment.iter("cite"))
        for cite_element in list(fragment.iter("cite")):
            cite_element.drop_tree()
        text = " ".join(fragment.text_content().split())
        if text:
            self.add("pullquote", {"text": text[:300], "attribution": cite[:200]})

    def code(self, inner):
        text = _fragment(inner).text_content().strip("\n")
        if text.strip():
            self.note("code or preformatted text kept as a plain paragraph")
            lines = "<br>".join(html.escape(line) for line in text.splitlines())
            self.paragraph(f"<p>{lines}</p>")

    def table(self, element_or_html):
        element = (
            _fragment(element_or_html)
            if isinstance(element_or_html, str)
            else element_or_html
        )
        self.note("table flattened into paragraphs, one per row")
        for row in element.iter("tr"):
            cells = [" ".join(c.text_content().split()) for c in row]
            text = " | ".join(c for c in cells if c)
            if text:
                self.paragraph(f"<p>{html.escape(text)}</p>")

    # -- classic HTML -----------------------------------------------------------

    def html(self, source: str) -> None:
        if not source.strip():
            return
        fragment = _fragment(source)
        self._report_removed(fragment)
        self._walk(fragment)

    def _walk(self, container) -> None:
        if container.text and container.text.strip():
            self.paragraph(f"<p>{html.escape(container.text.strip())}</p>")
        for element in container:
            if isinstance(element.tag, str):
                self._element(element)
            if element.tail and element.tail.strip():
                self.paragraph(f"<p>{html.escape(element.tail.strip())}</p>")

    def _element(self, element) -> None:  # noqa: C901 - one branch per kind of HTML
        tag = element.tag.lower()
        if tag in {"script", "style", "iframe", "object", "embed", "form", "hr"}:
            return
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            text = " ".join(element.text_content().split())
            if text:
                self.add("subheading", text[:200])
        elif tag == "p":
            self._paragraph_element(element)
        elif tag in {"ul", "ol"}:
            self.paragraph(_outer(element))
        elif tag == "blockquote":
            self._blockquote(element)
        elif tag == "figure":
            self._figure(element)
        elif tag == "img":
            self.image(_img_ref(element, element.get("data-id")))
        elif tag == "table":
            self.table(element)
        elif tag == "pre":
            self.code(_outer(element))
        elif tag == "dl-gallery":
            for wp_id in re.findall(r"\d+", element.get("data-ids", "")):
                self.image(ImageRef(wp_id=int(wp_id), src=""))
        elif tag == "dl-embed":
            self.embed(element.get("data-url", ""))
        elif tag in {"div", "section", "article", "aside", "main", "body", "span"}:
            self._walk(element)
        else:
            self.paragraph(f"<p>{_outer(element)}</p>")

    def _paragraph_element(self, element) -> None:
        images = list(element.iter("img"))
        text = element.text_content().strip()
        url = URL_LINE.match(text)
        if url and not images and len(element) == 0:
            # WordPress turns an address alone on its line into an embed.
            self.embed(url.group(1))
            return
        for image in images:
            self.image(_img_ref(image, None))
        self.paragraph(_outer(element))

    def _blockquote(self, element) -> None:
        cite = " ".join(c.text_content().strip() for c in element.iter("cite"))
        for cite_element in list(element.iter("cite")):
            cite_element.drop_tree()
        paragraphs = [
            " ".join(p.text_content().split()) for p in element.iter("p")
        ] or [" ".join(element.text_content().split())]
        quote = "\n\n".join(p for p in paragraphs if p)
        if quote:
            self.add("blockquote", {"quote": quote, "attribution": cite[:200]})

    def _figure(self, element) -> None:
        caption = _text_of_element(element, "figcaption")
        image = next(iter(element.iter("img")), None)
        if image is not None:
            self.image(_img_ref(image, element.get("data-id")), caption)
            return
        if next(iter(element.iter("table")), None) is not None:
            self.table(element)
            return
        self._walk(element)

    def _report_removed(self, fragment) -> None:
        for element in fragment.iter():
            if not isinstance(element.tag, str):
                continue
            tag = element.tag.lower()
            if tag in {"script", "style", "iframe", "object", "embed", "form"}:
                self.note(f"removed markup: <{tag}>")
            for name in element.attrib:
                lowered = name.lower()
                if lowered.startswith("on") or lowered == "style":
                    self.note(f"removed markup: {lowered}= attribute")
            href = (element.get("href") or "").strip().lower()
            if href.startswith(("javascript:", "data:", "vbscript:")):
                self.note("removed markup: unsafe link address")


def _fragment(source: str):
    try:
        return lxml.html.fragment_fromstring(source, create_parent="div")
    except (etree.ParserError, ValueError):
        return lxml.html.fragment_fromstring(html.escape(source), create_parent="div")


def _outer(element) -> str:
    return lxml.html.tostring(element, encoding="unicode", with_tail=False)


def _text_of(source: str, tag: str) -> str:
    return _text_of_element(_fragment(source), tag)


def _text_of_element(element, tag: str) -> str:
    found = next(iter(element.iter(tag)), None)
    return " ".join(found.text_content().split()) if found is not None else ""


def _img_ref(image, data_id) -> ImageRef:
    wp_id = None
    classes = image.get("class", "")
    match = re.search(r"wp-image-(\d+)", classes)
    if data_id and str(data_id).isdigit():
        wp_id = int(data_id)
    elif match:
        wp_id = int(match.group(1))
    return ImageRef(wp_id=wp_id, src=image.get("src", ""), alt=image.get("alt", ""))


def _plain(clean_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", clean_html)).strip()
