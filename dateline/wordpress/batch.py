"""New live posts written a batch at a time.

Wagtail adds a page with some hundred queries: the tree path, a full clean, the
revision, the publish with its signals, log entries, and a search-index and a
reference-index task per save, each retiring cached pages on its own. For an archive
of thousands that was nine tenths of an import. Posts not imported before (live,
restricted, draft or scheduled) are written here instead, a batch at a time: the
tree paths computed, and the rows ``add_child``, ``save_revision`` and ``publish``
would make (page, article, bylines, tags, other sections, comment policy, revision,
history, view restriction) inserted in bulk, with each post's ``ImportedItem`` in
the same transaction. A batch is all in and recorded, or not there at all, so a
second run and an interrupted one behave as with one item at a time. One task per
batch indexes it for search and for Wagtail's reference index; cached pages are
retired once per batch.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from taggit.models import Tag
from treebeard.numconv import NumConv
from wagtail.models import Page, PageLogEntry, PageViewRestriction, Revision

from dateline.caching.tags import invalidate
from dateline.newsroom.models import ArticleByline, ArticlePage, SectionPage
from dateline.worker.queue import enqueue_with_commit

from . import wxr
from .models import ImportedItem

logger = logging.getLogger(__name__)


@dataclass
class NewArticle:
    """A post read and converted, waiting for its batch to be written."""

    item: wxr.WPItem
    digest: str
    sections: list
    fields: dict
    authors: list
    tags: list
    notes: list[str] = field(default_factory=list)
    page: ArticlePage | None = None
    state: str = "live"


def goes_in_batch(item: wxr.WPItem) -> bool:
    return item.post_type == "post"


def state(item: wxr.WPItem, now) -> str:
    """``live``, ``draft`` or ``scheduled``, as ``Importer.apply_status`` decides."""
    if item.status in {"draft", "pending"}:
        return "draft"
    if item.status == "future" and item.date_gmt and item.date_gmt > now:
        return "scheduled"
    return "live"


class NewArticles:
    """Collects the export's new live posts and writes them a batch at a time.

    A batch is one transaction. When it fails, its posts go again one at a time,
    so only the bad one is reported as failed and the rest go in.
    """

    def __init__(self, importer, size: int):
        self.importer = importer
        self.size = size
        self.waiting: list[wxr.WPItem] = []
        self.done = set(
            ImportedItem.objects.filter(
                source=importer.source, kind="post"
            ).values_list("key", flat=True)
        )
        records = importer.sections.values()
        self.section_pages = SectionPage.objects.in_bulk([r.object_id for r in records])
        self.tag_objects = Tag.objects.in_bulk(
            [r.object_id for r in importer.tags.values()]
        )
        self.fallback = None
        self.bylines: dict[str, list] = {}

    def take(self, item: wxr.WPItem) -> bool:
        """Whether ``item`` waits for a batch; if not, the caller imports it now
        (after this batch, when it repeats a post the batch holds)."""
        key = str(item.wp_id)
        if goes_in_batch(item) and key not in self.done:
            self.done.add(key)
            self.waiting.append(item)
            if len(self.waiting) >= self.size:
                self.flush()
            return True
        if any(str(waiting.wp_id) == key for waiting in self.waiting):
            self.flush()
        return False

    def flush(self) -> None:
        from .importer import DryRunRollback

        items, self.waiting = self.waiting, []
        if not items:
            return
        importer = self.importer
        importer.now = timezone.now()
        self.slugs: dict[int, set[str]] = {}
        ready = [a for a in (self.prepare(item) for item in items) if a is not None]
        try:
            with transaction.atomic():
                ArticleBatch(importer, ready).write()
        except (KeyboardInterrupt, DryRunRollback):
            raise
        except Exception:  # noqa: BLE001 - the batch goes again item by item
            logger.warning("a batch of posts failed; one at a time", exc_info=True)
            for article in ready:
                item = article.item
                importer.one_item(
                    "post", item.wp_id, item.title, lambda i=item: importer.article(i)
                )
            return
        for article in ready:
            for note in article.notes:
                importer.report.note(
                    "post", article.item.wp_id, article.item.title, "changed", note
                )
        importer.report.count("post", "imported", len(ready))

    def prepare(self, item: wxr.WPItem) -> NewArticle | None:
        """The post read and converted, or None when that fails (reported)."""
        try:
            return self.new_article(item)
        except Exception as exc:  # noqa: BLE001 - one bad post must not stop the rest
            self.importer.report.count("post", "failed")
            self.importer.report.note(
                "post", item.wp_id, item.title, "failed", f"{type(exc).__name__}: {exc}"
            )
            return None

    def new_article(self, item: wxr.WPItem) -> NewArticle:
        importer, notes = self.importer, []
        sections = [
            self.section_pages[importer.sections[slug].object_id]
            for slug, _ in item.categories
            if slug in importer.sections
        ] or [self.fallback_section()]
        fields = importer.article_fields(item, notes)
        fields["slug"] = self.slug(sections[0], item, notes)
        return NewArticle(
            item=item,
            digest=importer.item_digest(item),
            sections=sections,
            fields=fields,
            authors=self.authors(item),
            tags=[
                self.tag_objects[importer.tags[slug].object_id]
                for slug, _ in item.tags
                if slug in importer.tags
            ],
            notes=notes,
        )

    def fallback_section(self):
        if self.fallback is None:
            self.fallback = self.importer.fallback_section()
        return self.fallback

    def authors(self, item) -> list:
        if item.creator not in self.bylines:
            self.bylines[item.creator] = self.importer.bylines(item)
        return self.bylines[item.creator]

    def slug(self, section, item, notes) -> str:
        """A slug no sibling has, counting the batch's own posts."""
        from .importer import slug_moved, unused_slug, wp_slug

        taken = self.slugs.get(section.pk)
        if taken is None:
            taken = set(Page.objects.child_of(section).values_list("slug", flat=True))
            self.slugs[section.pk] = taken
        wanted = wp_slug(item.slug, item.title)[:240]
        slug = unused_slug(wanted, taken)
        taken.add(slug)
        if slug != wanted:
            notes.append(slug_moved(wanted, slug))
        return slug


class ArticleBatch:
    def __init__(self, importer, articles: list[NewArticle]):
        self.importer = importer
        self.articles = articles
        self.page_type = ContentType.objects.get_for_model(Page)
        self.article_type = ContentType.objects.get_for_model(ArticlePage)

    def write(self) -> list[ArticlePage]:
        """Insert the batch; the caller holds the transaction."""
        for article in self.articles:
            article.page = self.build(article)
        self.place_in_tree()
        children = [self.in_memory_children(a.page) for a in self.articles]
        self.insert_pages()
        self.insert_children(children)
        self.insert_revisions()
        self.insert_restrictions()
        self.remember()
        self.top_stories()
        pages = [article.page for article in self.articles]
        from .tasks import index_imported_articles

        enqueue_with_commit(index_imported_articles, [page.pk for page in pages])
        invalidate(self.cache_tags())
        return pages

    # -- building the pages in memory ----------------------------------------

    def build(self, article: NewArticle) -> ArticlePage:
        item, section = article.item, article.sections[0]
        article.state = state(item, self.importer.now)
        when = item.date_gmt or self.importer.now
        live = article.state == "live"
        page = ArticlePage(
            live=live,
            has_unpublished_changes=not live,
            first_published_at=when if live else None,
            last_published_at=max(item.modified_gmt or when, when) if live else None,
            go_live_at=when if article.state == "scheduled" else None,
            latest_revision_created_at=self.importer.now,
            section_id=section.pk,
            locale_id=section.locale_id,
            content_type=self.article_type,
            **article.fields,
        )
        page.draft_title = page.title
        page.bylines = [
            ArticleByline(author=a, sort_order=i) for i, a in enumerate(article.authors)
        ]
        page.tags.set(article.tags)
        page.also_in.set(article.sections[1:])
        page.update_reading_time(self.importer.outlet_name)
        return page

    def place_in_tree(self) -> None:
        """Tree paths after each section's last child, as ``add_child`` gives."""
        numconv = NumConv(Page.alphabet)
        by_section: dict[int, list[ArticlePage]] = {}
        for article in self.articles:
            by_section.setdefault(article.sections[0].pk, []).append(article.page)
        sections = {a.sections[0].pk: a.sections[0] for a in self.articles}
        for pk, pages in by_section.items():
            section = sections[pk]
            last = (
                Page.objects.filter(path__startswith=section.path)
                .filter(depth=section.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            number = numconv.str2int(last[-Page.steplen :]) if last else 0
            for page in pages:
                number += 1
                page.path = section.path + numconv.int2str(number).rjust(
                    Page.steplen, "0"
                )
                page.depth = section.depth + 1
                page.numchild = 0
                page.url_path = f"{section.url_path}{page.slug}/"
            Page.objects.filter(pk=pk).update(numchild=F("numchild") + len(pages))

    @staticmethod
    def in_memory_children(page):
        """The page's child rows and many-to-many targets, read before it has a
        key (after, each relation not yet held in memory would ask the database)."""
        rows = [
            (rel, list(getattr(page, rel.get_accessor_name()).get_object_list()))
            for rel in get_all_child_relations(page)
        ]
        m2m = [
            (f, list(getattr(page, f.name).get_object_list()))
            for f in get_all_child_m2m_relations(page)
        ]
        return rows, m2m

    # -- writing -------------------------------------------------------------------

    def insert_pages(self) -> None:
        page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        pages = [
            Page(**{f.attname: getattr(a.page, f.attname) for f in page_fields})
            for a in self.articles
        ]
        for article, created in zip(
            self.articles, Page.objects.bulk_create(pages), strict=True
        ):
            article.page.id = article.page.page_ptr_id = created.pk
        columns = ArticlePage._meta.local_concrete_fields
        rows = [
            [f.get_db_prep_save(f.pre_save(a.page, True), connection) for f in columns]
            for a in self.articles
        ]
        table = connection.ops.quote_name(ArticlePage._meta.db_table)
        names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                rows,
            )

    def insert_children(self, children) -> None:
        rows_by_model: dict = {}
        for article, (rows, m2m) in zip(self.articles, children, strict=True):
            for rel, objects in rows:
                for obj in objects:
                    setattr(obj, rel.field.attname, article.page.pk)
                    rows_by_model.setdefault(rel.related_model, []).append(obj)
            for m2m_field, targets in m2m:
                through = m2m_field.remote_field.through
                rows_by_model.setdefault(through, []).extend(
                    through(
                        **{
                            f"{m2m_field.m2m_field_name()}_id": article.page.pk,
                            f"{m2m_field.m2m_reverse_field_name()}_id": target.pk,
                        }
                    )
                    for target in targets
                )
        for model, objects in rows_by_model.items():
            model.objects.bulk_create(objects)

    def insert_revisions(self) -> None:
        now = self.importer.now
        revisions = Revision.objects.bulk_create(
            Revision(
                content_type=self.article_type,
                base_content_type=self.page_type,
                object_id=str(a.page.pk),
                created_at=now,
                object_str=str(a.page),
                content=a.page.serializable_data(),
                approved_go_live_at=a.page.go_live_at,
            )
            for a in self.articles
        )
        for article, revision in zip(self.articles, revisions, strict=True):
            article.page.latest_revision = revision
            if article.state == "live":
                article.page.live_revision = revision
        Page.objects.bulk_update(
            [a.page for a in self.articles], ["live_revision", "latest_revision"]
        )
        PageLogEntry.objects.bulk_create(
            entry for a in self.articles for entry in self.history(a, now)
        )

    def history(self, article: NewArticle, now) -> list[PageLogEntry]:
        """The entries ``save_revision`` and ``publish`` would log."""
        page, revision = article.page, article.page.latest_revision
        actions = [("wagtail.edit", {})]
        if article.state == "live":
            actions.append(("wagtail.publish", {}))
        elif article.state == "scheduled":
            scheduled = {
                "id": revision.pk,
                "created": now.isoformat(),
                "go_live_at": page.go_live_at.isoformat(),
                "has_live_version": False,
            }
            actions.append(("wagtail.publish.schedule", {"revision": scheduled}))
        return [
            PageLogEntry(
                content_type=self.article_type,
                label=page.title,
                action=action,
                timestamp=now,
                data=data,
                page_id=page.pk,
                revision=revision,
                content_changed=True,
            )
            for action, data in actions
        ]

    def insert_restrictions(self) -> None:
        restrictions = []
        for article in self.articles:
            item = article.item
            if article.state != "live":
                continue
            if item.status == "private":
                restrictions.append(
                    PageViewRestriction(
                        page=article.page, restriction_type=PageViewRestriction.LOGIN
                    )
                )
            elif item.password:
                restrictions.append(
                    PageViewRestriction(
                        page=article.page,
                        restriction_type=PageViewRestriction.PASSWORD,
                        password=item.password[:255],
                    )
                )
        PageViewRestriction.objects.bulk_create(restrictions)
        self.restricted = bool(restrictions)

    def remember(self) -> None:
        source, now = self.importer.source, self.importer.now
        ImportedItem.objects.bulk_create(
            ImportedItem(
                source=source,
                kind="post",
                key=str(a.item.wp_id),
                content_type=self.article_type,
                object_id=a.page.pk,
                checksum=a.digest,
                data={"link": a.item.link, "slug": a.item.slug, "type": "post"},
                imported_at=now,
                updated_at=now,
            )
            for a in self.articles
        )

    def top_stories(self) -> None:
        for article in self.articles:
            if article.item.sticky and article.item.status == "publish":
                self.importer.make_top_story(article.page)

    def cache_tags(self) -> list[str]:
        """What the batch's publishes would have retired: the listings it joins."""
        sections, tags, authors = set(), set(), set()
        for article in self.articles:
            path = article.sections[0].path
            sections.update(path[:end] for end in range(0, len(path) + 1, Page.steplen))
            sections.update(s.path for s in article.sections[1:])
            tags.update(tag.slug for tag in article.tags)
            authors.update(author.pk for author in article.authors)
        section_pks = SectionPage.objects.filter(path__in=sections).values_list(
            "pk", flat=True
        )
        return [
            "front",
            *(["site"] if self.restricted else []),
            *(f"section:{pk}" for pk in section_pks),
            *(f"tag:{slug}" for slug in sorted(tags)),
            *(f"author:{pk}" for pk in sorted(authors)),
        ]
