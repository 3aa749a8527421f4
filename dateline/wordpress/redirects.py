"""Old WordPress addresses answer with a 301 to the new page.

They are Wagtail redirects (``wagtail.contrib.redirects``), so editors see and change
them under Settings › Redirects. Wagtail only looks a redirect up when a path finds
nothing; ``/?p=123`` finds the home page, so ``middleware.py`` looks those up first.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from .importer import urlpath

BATCH_SIZE = 200


def add(site, old_path: str, target) -> bool:
    """A permanent redirect from ``old_path`` to a page or a path; False when the
    old path already is the new address."""
    wanted = redirect_fields(site, old_path, target)
    if wanted is None:
        return False
    normalised, defaults = wanted
    Redirect.objects.update_or_create(old_path=normalised, site=site, defaults=defaults)
    return True


def redirect_fields(site, old_path: str, target):
    """(normalised old path, the redirect's other fields), or None when the old
    path is no address or already the new one."""
    normalised = Redirect.normalise_path(old_path)
    if not normalised or normalised == "/":
        return None
    is_page = isinstance(target, Page)
    new = target.get_url_parts()[2] if is_page else target
    if Redirect.normalise_path(new) == normalised:
        return None
    defaults = {"is_permanent": True, "redirect_page": None, "redirect_link": ""}
    if is_page:
        defaults["redirect_page"] = target
    else:
        # A full address, as the redirect's form in the admin asks for one.
        defaults["redirect_link"] = site.root_url.rstrip("/") + target
    return normalised, defaults


def add_many(site, wanted) -> None:
    """``add`` for many (normalised path, fields) at once: one query to find which
    exist, one insert, one update; the last wins for a path named twice."""
    fields = dict(wanted)
    existing = {
        redirect.old_path: redirect
        for redirect in Redirect.objects.filter(site=site, old_path__in=list(fields))
    }
    new, changed = [], []
    for path, defaults in fields.items():
        redirect = existing.get(path) or Redirect(old_path=path, site=site)
        for name, value in defaults.items():
            setattr(redirect, name, value)
        (changed if redirect.pk else new).append(redirect)
    Redirect.objects.bulk_create(new)
    Redirect.objects.bulk_update(changed, list(REDIRECT_FIELDS))


REDIRECT_FIELDS = ("is_permanent", "redirect_page", "redirect_link")


def _reverse(name, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class RedirectImport:
    def __init__(self, importer):
        self.importer = importer
        self.site = importer.site

    def run(self) -> None:
        records = {
            kind: self.importer.mapping(kind)
            for kind in ("post", "page", "category", "tag", "author")
        }
        self.categories = records["category"]
        self.pages = {}
        progress = self.importer.progress
        progress.start("redirects", sum(len(r) for r in records.values()))
        pending = [
            (kind, key, record)
            for kind, mapping in records.items()
            for key, record in mapping.items()
        ]
        for start in range(0, len(pending), BATCH_SIZE):
            batch = pending[start : start + BATCH_SIZE]
            self.write_batch(batch)
            progress.advance(len(batch))
        self.importer.rates["redirects"] = progress.finish()

    def write_batch(self, batch) -> None:
        """A batch of records' redirects in one transaction; if that fails, each
        record again in its own, so only the bad one is reported."""
        from .importer import DryRunRollback

        ids = [r.object_id for kind, _, r in batch if kind in {"post", "page"}]
        self.pages = Page.objects.in_bulk(ids)
        try:
            with transaction.atomic():
                outcomes, wanted = [], []
                for kind, _, record in batch:
                    fields = self.fields_for(kind, record)
                    outcomes.append("imported" if fields else "skipped")
                    wanted += fields
                add_many(self.site, wanted)
        except (KeyboardInterrupt, DryRunRollback):
            raise
        except Exception:  # noqa: BLE001 - each record goes again on its own
            for kind, key, record in batch:
                self.importer.one_item(
                    "redirect",
                    f"{kind} {key}",
                    key,
                    lambda k=kind, r=record: self.for_record(k, r),
                )
            return
        for outcome in outcomes:
            self.importer.report.count("redirect", outcome)

    def fields_for(self, kind, record) -> list:
        targets = getattr(self, f"paths_for_{kind}")(record)
        wanted = (
            redirect_fields(self.site, old, new)
            for old, new in targets
            if new is not None
        )
        return [fields for fields in wanted if fields is not None]

    def for_record(self, kind, record) -> str:
        targets = getattr(self, f"paths_for_{kind}")(record)
        added = [add(self.site, old, new) for old, new in targets if new is not None]
        return "imported" if any(added) else "skipped"

    def page(self, record) -> Page:
        page = self.pages.get(record.object_id)
        return page if page is not None else Page.objects.get(pk=record.object_id)

    def paths_for_post(self, record):
        page = self.page(record)
        link = urlpath(record.data.get("link", ""))
        feed = _reverse("comments:feed", page.pk)
        return [
            (link, page),
            (link.rstrip("/") + "/feed/", feed)
            if link and "?" not in link
            else ("", None),
            (f"/?p={record.key}", page),
        ]

    def paths_for_page(self, record):
        page = self.page(record)
        return [
            (urlpath(record.data.get("link", "")), page),
            (f"/?page_id={record.key}", page),
            (f"/?p={record.key}", page),
        ]

    def paths_for_category(self, record):
        page = Page.objects.get(pk=record.object_id)
        path = "/category/" + "/".join(self.category_chain(record)) + "/"
        return [
            (path, page),
            (path + "feed/", _reverse("syndication:section_feed", page.slug)),
        ]

    def category_chain(self, record) -> list[str]:
        chain, seen = [], set()
        while record is not None and record.key not in seen:
            seen.add(record.key)
            chain.insert(0, record.key)
            parent = record.data.get("parent")
            record = self.categories.get(parent) if parent else None
        return chain

    def paths_for_tag(self, record):
        slug = record.data.get("slug", record.key)
        return [
            (f"/tag/{record.key}/", _reverse("newsroom:tag", slug)),
            (f"/tag/{record.key}/feed/", _reverse("syndication:tag_feed", slug)),
        ]

    def paths_for_author(self, record):
        from dateline.newsroom.models import Author

        author = Author.objects.get(pk=record.object_id)
        nicename = record.data.get("nicename") or record.key
        return [
            (f"/author/{nicename}/", _reverse("newsroom:author", author.slug)),
            (
                f"/author/{nicename}/feed/",
                _reverse("syndication:author_feed", author.slug),
            ),
        ]
