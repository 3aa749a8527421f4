"""Attachments: files from a copy of ``wp-content/uploads`` or from the old site,
stored as Wagtail images (or documents, for anything that is not an image)."""

from __future__ import annotations

import mimetypes
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from . import wxr
from .body import ImageRef

IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
# The size suffix WordPress adds to the smaller copies it makes (photo-300x200.jpg).
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
BATCH = 16


class MediaMissing(Exception):
    """The file could not be had; the reason is the message."""


def uploads_path(item: wxr.WPItem) -> str:
    """The file's path inside ``wp-content/uploads``."""
    attached = item.meta.get("_wp_attached_file", "").strip()
    if attached:
        return attached.lstrip("/")
    path = unquote(urlsplit(item.attachment_url).path)
    marker = "/wp-content/uploads/"
    return path.split(marker, 1)[1] if marker in path else path.lstrip("/")


def address_key(src: str) -> str:
    """An image address reduced to what identifies the file: its path, without the
    host (the same site answered on several) or WordPress's size suffix."""
    path = unquote(urlsplit(src.strip()).path)
    return SIZE_SUFFIX.sub("", path).lower()


class ImageIndex:
    """Find the imported image for a body's ``<img>``: by id, else by address."""

    def __init__(self, records):
        self.ids, self.addresses, self.captions = {}, {}, {}
        for key, record in records.items():
            if record.data.get("type") != "image":
                continue
            self.ids[key] = record.object_id
            self.captions[record.object_id] = record.data.get("caption", "")
            if record.data.get("url"):
                self.addresses[address_key(record.data["url"])] = record.object_id

    def by_id(self, wp_id) -> int | None:
        return self.ids.get(str(wp_id).strip()) if wp_id else None

    def find(self, ref: ImageRef) -> int | None:
        pk = self.by_id(ref.wp_id) or (
            self.addresses.get(address_key(ref.src)) if ref.src else None
        )
        if pk is not None and not ref.caption:
            ref.caption = self.captions.get(pk, "")
        return pk


class MediaImport:
    def __init__(self, importer):
        self.importer = importer
        self.options = importer.options

    def run(self) -> None:
        progress = self.importer.progress
        progress.start("media", self.importer.total("attachment"))
        batch = []
        for item in self.importer.items({"attachment"}):
            batch.append(item)
            if len(batch) >= BATCH:
                self.import_batch(batch)
                batch = []
        self.import_batch(batch)
        self.importer.rates["media"] = progress.finish()

    def import_batch(self, items) -> None:
        todo = []
        for item in items:
            record = self.importer.known("attachment", item.wp_id)
            if record is not None and record.checksum == self.digest(item):
                self.importer.report.count("attachment", "skipped")
                self.importer.progress.advance()
            else:
                todo.append(item)
        # Downloads run side by side; the rows are written one by one afterwards.
        with ThreadPoolExecutor(max_workers=max(1, self.options.downloads)) as pool:
            files = list(pool.map(self.fetch_or_reason, todo))
        for item, found in zip(todo, files, strict=True):
            self.importer.progress.advance()
            if isinstance(found, str):
                self.importer.report.count("attachment", "failed")
                self.importer.report.note(
                    "attachment",
                    item.wp_id,
                    item.title,
                    "failed",
                    f"missing media: {found}",
                )
                continue
            self.importer.one_item(
                "attachment",
                item.wp_id,
                item.title,
                lambda i=item, f=found: self.store(i, *f),
            )

    def digest(self, item) -> str:
        from .importer import checksum

        return checksum(
            item.title,
            item.excerpt,
            item.content,
            item.attachment_url,
            item.meta.get("_wp_attachment_image_alt", ""),
        )

    def fetch_or_reason(self, item):
        """(bytes, content type) for the attachment, or why it cannot be had."""
        try:
            return self.fetch(item)
        except MediaMissing as exc:
            return str(exc)

    def fetch(self, item) -> tuple[bytes, str]:
        relative = uploads_path(item)
        if self.options.dry_run:
            return b"", mimetypes.guess_type(relative)[0] or ""
        if self.options.media_dir is not None:
            return self.from_directory(relative)
        if self.options.media_url:
            return self.from_site(relative)
        raise MediaMissing(f"{relative} (give --media-dir or --media-url)")

    def from_directory(self, relative: str) -> tuple[bytes, str]:
        root = Path(self.options.media_dir).resolve()
        path = (root / PurePosixPath(relative)).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise MediaMissing(f"{relative} is not in {root}")
        if path.stat().st_size > self.options.max_bytes:
            raise MediaMissing(f"{relative} is larger than the size cap")
        return path.read_bytes(), mimetypes.guess_type(path.name)[0] or ""

    def from_site(self, relative: str) -> tuple[bytes, str]:
        base = self.options.media_url.rstrip("/") + "/"
        url = urljoin(
            base, "/".join(urllib.request.quote(p) for p in relative.split("/"))
        )
        if not url.startswith(("http://", "https://")):
            raise MediaMissing(f"{url} is not a web address")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url, headers={"User-Agent": "Dateline import"}
        )
        try:
            with urllib.request.urlopen(  # noqa: S310 - scheme checked above
                request, timeout=self.options.timeout
            ) as response:
                kind = response.headers.get_content_type()
                data = response.read(self.options.max_bytes + 1)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise MediaMissing(f"{url}: {exc}") from None
        if len(data) > self.options.max_bytes:
            raise MediaMissing(f"{url} is larger than the size cap")
        if kind.startswith("text/html"):
            raise MediaMissing(f"{url} answered with a web page, not a file")
        return data, kind

    def store(self, item, data: bytes, kind: str) -> str:
        record = self.importer.known("attachment", item.wp_id)
        name = PurePosixPath(uploads_path(item)).name or f"attachment-{item.wp_id}"
        alt = item.meta.get("_wp_attachment_image_alt", "").strip()
        caption = wxr_plain(item.excerpt)
        is_image = kind in IMAGE_TYPES or (not kind and _looks_like_image(name))
        if self.options.dry_run:
            return "updated" if record else "imported"
        if is_image:
            obj = self.image(record, item, name, data, alt or caption)
        else:
            obj = self.document(record, item, name, data)
        self.importer.remember(
            "attachment",
            item.wp_id,
            obj,
            self.digest(item),
            {
                "type": "image" if is_image else "document",
                "url": item.attachment_url,
                "caption": caption[:300],
                "link": item.link,
                "parent": item.parent_id,
            },
        )
        return "updated" if record else "imported"

    def image(self, record, item, name, data, alt):
        Image = get_image_model()
        try:
            PILImage.open(BytesIO(data)).verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise MediaMissing(f"{name} is not a readable image") from exc
        image = Image.objects.filter(pk=record.object_id).first() if record else None
        title = (item.title or name)[:255]
        if image is None:
            image = Image(title=title, description=alt[:255])
            image.file = ImageFile(BytesIO(data), name=name)
        else:
            image.title, image.description = title, alt[:255]
        image.save()
        return image

    def document(self, record, item, name, data):
        Document = get_document_model()
        document = (
            Document.objects.filter(pk=record.object_id).first() if record else None
        )
        if document is None:
            document = Document(title=(item.title or name)[:255])
            document.file = ContentFile(data, name=name)
        else:
            document.title = (item.title or name)[:255]
        document.save()
        return document


def wxr_plain(source: str) -> str:
    from .importer import plain_text

    return plain_text(source)


def _looks_like_image(name: str) -> bool:
    return (mimetypes.guess_type(name)[0] or "") in IMAGE_TYPES
