"""Reading a WordPress export (WXR 1.0, 1.1, 1.2) as a stream of plain records.

The file is never loaded whole: lxml's ``iterparse`` hands over one ``<item>`` at a
time and the element is cleared once read. Entities are not expanded, no DTD or
network resource is loaded, and a text node above lxml's normal limit is an error,
so a hostile export cannot exhaust memory or reach other files.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

WP_NAMESPACE = re.compile(r"^http://wordpress\.org/export/1\.[0-2]/$")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
EXCERPT_NS = re.compile(r"^http://wordpress\.org/export/1\.[0-2]/excerpt/$")


class WXRError(Exception):
    """The input is not a readable WordPress export; ``line`` says where."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None):
        self.path, self.line = path, line
        where = f"{path}" if path else ""
        if line:
            where += f", line {line}"
        super().__init__(f"{where}: {message}" if where else message)


@dataclass
class WPAuthor:
    login: str
    display_name: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    wp_id: int | None = None


@dataclass
class WPTerm:
    kind: str  # "category" or "tag"
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""
    wp_id: int | None = None


@dataclass
class WPComment:
    wp_id: int
    author: str
    email: str
    url: str
    ip: str
    date_gmt: datetime | None
    content: str
    approved: str
    comment_type: str
    parent_id: int


@dataclass
class WPItem:
    wp_id: int
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date_gmt: datetime | None = None
    modified_gmt: datetime | None = None
    slug: str = ""
    status: str = ""
    parent_id: int = 0
    password: str = ""
    sticky: bool = False
    comments_open: bool = True
    attachment_url: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WPComment] = field(default_factory=list)


def export_files(path: Path) -> list[Path]:
    """The export's files: the file itself, or a directory's ``*.xml`` in name order
    (WordPress names the parts of a split export so that they sort)."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".xml")
        if not files:
            raise WXRError("no .xml files in this directory", path)
        return files
    if not path.is_file():
        raise WXRError("no such file", path)
    return [path]


# A document type declaration comes before the root element, in the first lines.
PROLOGUE_BYTES = 64 * 1024


def _iterparse(path: Path):
    return etree.iterparse(
        str(path),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _name(element) -> tuple[str, str]:
    """(namespace kind, local name), the namespace reduced to wp/content/dc/excerpt."""
    return _tag_name(element.tag)


@functools.lru_cache(maxsize=512)
def _tag_name(tag: str) -> tuple[str, str]:
    # An export has a few dozen distinct tags and millions of elements: each tag is
    # split once.
    ns, local = tag[1:].split("}", 1) if tag.startswith("{") else ("", tag)
    if WP_NAMESPACE.match(ns):
        return "wp", local
    if EXCERPT_NS.match(ns):
        return "excerpt", local
    if ns == CONTENT_NS:
        return "content", local
    if ns == DC_NS:
        return "dc", local
    return ns, local


def _wp_fields(element) -> dict[str, str]:
    """The text of each ``wp:`` child of ``element`` by local name (the first of
    each), read in one pass over the children."""
    fields: dict[str, str] = {}
    for child in element:
        if isinstance(child.tag, str):
            kind, local = _tag_name(child.tag)
            if kind == "wp" and local not in fields:
                fields[local] = child.text or ""
    return fields


def _int(value: str) -> int:
    try:
        return int(value.strip() or 0)
    except ValueError:
        return 0


def parse_gmt(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _author(element) -> WPAuthor:
    fields = _wp_fields(element)
    return WPAuthor(
        login=fields.get("author_login", "").strip(),
        display_name=fields.get("author_display_name", "").strip(),
        email=fields.get("author_email", "").strip(),
        first_name=fields.get("author_first_name", "").strip(),
        last_name=fields.get("author_last_name", "").strip(),
        wp_id=_int(fields.get("author_id", "")) or None,
    )


def _term(element, local: str) -> WPTerm | None:
    fields = _wp_fields(element)
    if local == "category":
        return WPTerm(
            kind="category",
            slug=fields.get("category_nicename", "").strip(),
            name=fields.get("cat_name", "").strip(),
            parent_slug=fields.get("category_parent", "").strip(),
            description=fields.get("category_description", "").strip(),
            wp_id=_int(fields.get("term_id", "")) or None,
        )
    if local == "tag":
        return WPTerm(
            kind="tag",
            slug=fields.get("tag_slug", "").strip(),
            name=fields.get("tag_name", "").strip(),
            description=fields.get("tag_description", "").strip(),
            wp_id=_int(fields.get("term_id", "")) or None,
        )
    # WXR 1.2 also lists every term of any taxonomy as <wp:term>.
    taxonomy = fields.get("term_taxonomy", "").strip()
    kinds = {"category": "category", "post_tag": "tag"}
    if taxonomy not in kinds:
        return None
    return WPTerm(
        kind=kinds[taxonomy],
        slug=fields.get("term_slug", "").strip(),
        name=fields.get("term_name", "").strip(),
        parent_slug=fields.get("term_parent", "").strip(),
        description=fields.get("term_description", "").strip(),
        wp_id=_int(fields.get("term_id", "")) or None,
    )


def _comment(element) -> WPComment:
    fields = _wp_fields(element)

    def text(local):
        return fields.get(local, "")

    return WPComment(
        wp_id=_int(text("comment_id")),
        author=text("comment_author").strip(),
        email=text("comment_author_email").strip(),
        url=text("comment_author_url").strip(),
        ip=text("comment_author_IP").strip(),
        date_gmt=parse_gmt(text("comment_date_gmt")) or parse_gmt(text("comment_date")),
        content=text("comment_content"),
        approved=text("comment_approved").strip(),
        comment_type=text("comment_type").strip(),
        parent_id=_int(text("comment_parent")),
    )


def _item(element) -> WPItem:
    item = WPItem(wp_id=0, post_type="")
    for child in element:
        if not isinstance(child.tag, str):
            continue
        kind, local = _name(child)
        value = child.text or ""
        if kind == "":
            if local == "title":
                item.title = value.strip()
            elif local == "link":
                item.link = value.strip()
            elif local == "guid":
                item.guid = value.strip()
            elif local == "category":
                pair = (child.get("nicename", "").strip(), value.strip())
                if child.get("domain") == "category":
                    item.categories.append(pair)
                elif child.get("domain") == "post_tag":
                    item.tags.append(pair)
        elif (kind, local) == ("dc", "creator"):
            item.creator = value.strip()
        elif (kind, local) == ("content", "encoded"):
            item.content = value
        elif (kind, local) == ("excerpt", "encoded"):
            item.excerpt = value.strip()
        elif kind == "wp":
            _item_field(item, child, local, value)
    return item


def _item_field(item: WPItem, child, local: str, value: str) -> None:
    if local == "post_id":
        item.wp_id = _int(value)
    elif local == "post_type":
        item.post_type = value.strip()
    elif local == "post_name":
        item.slug = value.strip()
    elif local == "status":
        item.status = value.strip()
    elif local == "post_parent":
        item.parent_id = _int(value)
    elif local == "post_password":
        item.password = value
    elif local == "comment_status":
        item.comments_open = value.strip() != "closed"
    elif local == "is_sticky":
        item.sticky = value.strip() == "1"
    elif local == "attachment_url":
        item.attachment_url = value.strip()
    elif local == "post_date_gmt":
        item.date_gmt = parse_gmt(value)
    elif local == "post_date" and item.date_gmt is None:
        item.date_gmt = parse_gmt(value)
    elif local == "post_modified_gmt":
        item.modified_gmt = parse_gmt(value)
    elif local == "postmeta":
        meta = _wp_fields(child)
        item.meta[meta.get("meta_key", "")] = meta.get("meta_value", "")
    elif local == "comment":
        item.comments.append(_comment(child))


@dataclass
class ExportSummary:
    base_site_url: str = ""
    base_blog_url: str = ""
    version: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def read(path: Path, summary: ExportSummary | None = None) -> Iterator[object]:
    """Yield the export's authors, terms and items in file order.

    Raises ``WXRError`` with the line number for anything that is not a
    well-formed WordPress export.
    """
    for part in export_files(path):
        yield from _read_file(part, summary)


def _refuse_doctype(path: Path) -> None:
    """Refuse a document type declaration before the parser reads it: entity bombs
    and external entities live there, and WordPress never writes one. (libxml2's own
    limits would stop a bomb too, but with a message that varies by version.)"""
    with path.open("rb") as export:
        prologue = export.read(PROLOGUE_BYTES)
    at = prologue.upper().find(b"<!DOCTYPE")
    if at != -1:
        line = prologue.count(b"\n", 0, at) + 1
        raise WXRError("a document type declaration is not allowed here", path, line)


def _read_file(path: Path, summary: ExportSummary | None) -> Iterator[object]:
    depth, seen_rss, in_item = 0, False, 0
    _refuse_doctype(path)
    try:
        for event, element in _iterparse(path):
            if not isinstance(element.tag, str):
                continue
            kind, local = _name(element)
            if event == "start":
                depth += 1
                if depth == 1:
                    if element.getroottree().docinfo.doctype:
                        # WordPress never writes one; entities hide in them.
                        raise WXRError(
                            "a document type declaration is not allowed here",
                            path,
                            element.sourceline,
                        )
                    if local != "rss":
                        raise WXRError(
                            "not a WordPress export (no <rss> root)",
                            path,
                            element.sourceline,
                        )
                    seen_rss = True
                if local == "item" and kind == "":
                    in_item += 1
                continue
            depth -= 1
            if in_item:
                if local == "item" and kind == "":
                    in_item -= 1
                    yield _item(element)
                    _release(element)
                continue
            record = _channel_record(element, kind, local, summary)
            if record is not None:
                yield record
                _release(element)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        message = exc.msg.split(", line")[0] if exc.msg else "malformed XML"
        raise WXRError(message, path, line) from None
    if not seen_rss:
        raise WXRError("not a WordPress export (empty file)", path)


def _channel_record(element, kind, local, summary):
    if kind != "wp":
        return None
    if local == "author":
        return _author(element)
    if local in {"category", "tag", "term"}:
        return _term(element, local)
    if summary is not None:
        if local == "wxr_version":
            summary.version = (element.text or "").strip()
        elif local == "base_site_url":
            summary.base_site_url = (element.text or "").strip()
        elif local == "base_blog_url":
            summary.base_blog_url = (element.text or "").strip()
    return None


def _release(element) -> None:
    # Free what has been read: the element and the siblings before it.
    element.clear()
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def check(path: Path) -> ExportSummary:
    """Read the whole export once without keeping it; what it holds, or WXRError.

    Run before anything is written, so a truncated or foreign file writes nothing.
    """
    summary = ExportSummary()
    counts: dict[str, int] = {}
    for record in read(path, summary):
        key = _count_key(record)
        counts[key] = counts.get(key, 0) + 1
        if isinstance(record, WPItem):
            counts["comment"] = counts.get("comment", 0) + len(record.comments)
    if not summary.version:
        raise WXRError("not a WordPress export (no wp:wxr_version)", path)
    summary.counts = counts
    return summary


def _count_key(record) -> str:
    if isinstance(record, WPAuthor):
        return "author"
    if isinstance(record, WPTerm):
        return record.kind
    return record.post_type
