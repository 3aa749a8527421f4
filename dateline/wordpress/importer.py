"""Bringing a WordPress export into a Dateline site, one phase after another.

Phases: terms and authors, media, posts and pages, comments, redirects. Every item
is written in a transaction of its own together with its ``ImportedItem`` record, so
a failing item is reported and skipped, an interrupted run loses at most the item
it was on, and running the import again updates what changed and adds nothing twice.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction, Site

from dateline.comments.models import CommentPolicy
from dateline.newsroom.actions import (
    do_create_article,
    do_publish_article,
    do_schedule_article,
)
from dateline.newsroom.models import (
    ArticleByline,
    ArticlePage,
    Author,
    HomePage,
    HomeTopStory,
    OutletSettings,
    PlainPage,
    SectionPage,
)
from dateline.newsroom.signals import articles_written_in_bulk
from dateline.worker import statistics

from . import body as body_conversion
from . import wxr
from .models import ImportedItem
from .report import Progress, Report

POST_STATUSES = {"publish", "draft", "pending", "future", "private"}


class DryRunRollback(Exception):
    """Raised at the end of a dry run to undo everything it wrote."""


@dataclass
class Options:
    media_dir: Path | None = None
    media_url: str = ""
    dry_run: bool = False
    site: Site | None = None
    create_users: bool = False
    downloads: int = 4
    timeout: float = 10.0
    max_bytes: int = 50 * 1024 * 1024
    batch: int = 200


def checksum(*parts) -> str:
    raw = json.dumps(parts, default=str, sort_keys=True).encode()
    return hashlib.sha256(raw).hexdigest()


def plain_text(source: str) -> str:
    """Text without markup, entities decoded, runs of blank space made one."""
    fragment = body_conversion._fragment(source or "")
    return " ".join(html.unescape(fragment.text_content()).split())


def wp_slug(slug: str, fallback: str) -> str:
    """WordPress stores non-Latin slugs percent-encoded; Wagtail keeps them as text."""
    slug = slugify(unquote(slug or ""), allow_unicode=True)
    return slug or slugify(fallback, allow_unicode=True) or "untitled"


class Importer:
    def __init__(self, path: Path, options: Options | None = None, progress=None):
        self.path = Path(path)
        self.options = options or Options()
        self.progress = progress or Progress(stream=None)
        self.report = Report()
        self.summary: wxr.ExportSummary | None = None
        self.rates: dict[str, float] = {}

    # -- running ---------------------------------------------------------------

    def run(self) -> Report:
        """Import everything; raises ``WXRError`` before writing if the file is bad."""
        self.summary = wxr.check(self.path)
        self.site = self.options.site or Site.objects.get(is_default_site=True)
        self.home = self.site.root_page.specific
        self.source = (self.summary.base_site_url or str(self.path.name))[:200]
        if not self.options.dry_run:
            # No transaction around the whole: each item commits on its own, which
            # is what lets a killed run be finished by the next.
            self.phases()
            # Dates were set around Wagtail's publish (``apply_status``).
            articles_written_in_bulk.send(sender=ArticlePage)
            # Thousands of new stories change what the database's planner should
            # choose; SQLite learns it only when asked (worker/statistics.py).
            statistics.refresh()
            return self.report
        try:
            with transaction.atomic():
                self.phases()
                raise DryRunRollback
        except DryRunRollback:
            pass
        return self.report

    def phases(self) -> None:
        from .comments import CommentImport
        from .media import MediaImport
        from .redirects import RedirectImport

        self.import_terms_and_authors()
        MediaImport(self).run()
        self.import_posts()
        CommentImport(self).run()
        RedirectImport(self).run()

    def records(self, cls):
        for record in wxr.read(self.path):
            if isinstance(record, cls):
                yield record

    def items(self, post_types):
        for item in self.records(wxr.WPItem):
            if item.post_type in post_types:
                yield item

    def total(self, *kinds) -> int:
        return sum(self.summary.counts.get(kind, 0) for kind in kinds)

    # -- the ImportedItem record -----------------------------------------------

    def known(self, kind: str, key) -> ImportedItem | None:
        return ImportedItem.objects.filter(
            source=self.source, kind=kind, key=str(key)
        ).first()

    def remember(self, kind, key, obj, digest="", data=None) -> ImportedItem:
        record, _ = ImportedItem.objects.update_or_create(
            source=self.source,
            kind=kind,
            key=str(key),
            defaults={
                "content_type": ContentType.objects.get_for_model(type(obj)),
                "object_id": obj.pk,
                "checksum": digest,
                "data": data or {},
                "updated_at": timezone.now(),
            },
        )
        return record

    def mapping(self, kind: str) -> dict[str, ImportedItem]:
        return {
            record.key: record
            for record in ImportedItem.objects.filter(source=self.source, kind=kind)
        }

    def one_item(self, kind, key, title, work) -> None:
        """Run ``work()`` in its own transaction; a failure is counted and noted."""
        try:
            with transaction.atomic():
                outcome = work()
        except (KeyboardInterrupt, DryRunRollback):
            raise
        except Exception as exc:  # noqa: BLE001 - one bad item must not stop the rest
            self.report.count(kind, "failed")
            self.report.note(kind, key, title, "failed", f"{type(exc).__name__}: {exc}")
            return
        self.report.count(kind, outcome)

    # -- terms and authors -----------------------------------------------------

    def import_terms_and_authors(self) -> None:
        categories, tags, authors = {}, {}, {}
        for record in wxr.read(self.path):
            if isinstance(record, wxr.WPItem):
                continue
            if isinstance(record, wxr.WPAuthor):
                authors[record.login] = record
            elif record.kind == "category":
                categories[record.slug] = record
            else:
                tags[record.slug] = record
        self.progress.start("terms", len(categories) + len(tags))
        for term in _parents_first(categories):
            self.one_item(
                "category", term.slug, term.name, lambda t=term: self.section(t)
            )
            self.progress.advance()
        for term in tags.values():
            self.one_item("tag", term.slug, term.name, lambda t=term: self.tag(t))
            self.progress.advance()
        self.rates["terms"] = self.progress.finish()
        self.progress.start("authors", len(authors))
        for author in authors.values():
            self.one_item(
                "author",
                author.login,
                author.display_name,
                lambda a=author: self.author(a),
            )
            self.progress.advance()
        self.rates["authors"] = self.progress.finish()

    def section(self, term: wxr.WPTerm) -> str:
        digest = checksum(term.name, term.description, term.parent_slug)
        record = self.known("category", term.slug)
        parent = self.home
        if term.parent_slug:
            parent_record = self.known("category", term.parent_slug)
            if parent_record is not None:
                parent = SectionPage.objects.get(pk=parent_record.object_id)
        slug = wp_slug(term.slug, term.name)
        data = {"parent": term.parent_slug, "slug": slug}
        if record is not None:
            if record.checksum == digest:
                return "skipped"
            section = SectionPage.objects.get(pk=record.object_id)
            section.title, section.intro = term.name, term.description[:300]
            section.save_revision().publish()
            self.remember("category", term.slug, section, digest, data)
            return "updated"
        section = SectionPage.objects.child_of(parent).filter(slug=slug).first()
        if section is None:
            section = SectionPage(
                title=term.name or slug, slug=slug, intro=term.description[:300]
            )
            parent.add_child(instance=section)
            section.save_revision().publish()
        else:
            self.report.note(
                "category",
                term.slug,
                term.name,
                "imported",
                "joined the existing section with this slug",
            )
        self.remember("category", term.slug, section, digest, data)
        return "imported"

    def tag(self, term: wxr.WPTerm) -> str:
        slug = wp_slug(term.slug, term.name)
        digest = checksum(term.name, term.description)
        record = self.known("tag", term.slug)
        if record is not None and record.checksum == digest:
            return "skipped"
        tag = (
            Tag.objects.filter(slug=slug).first()
            or Tag.objects.filter(name=term.name).first()
        )
        if tag is None:
            tag = Tag.objects.create(name=term.name or slug, slug=slug)
        # Tags have no description field here; it is kept with the record.
        data = {"slug": tag.slug, "description": term.description}
        self.remember("tag", term.slug, tag, digest, data)
        return "updated" if record is not None else "imported"

    def author(self, wp_author: wxr.WPAuthor) -> str:
        name = wp_author.display_name or wp_author.login
        digest = checksum(name, wp_author.email)
        record = self.known("author", wp_author.login)
        data = {"nicename": slugify(wp_author.login)}
        if record is not None:
            if record.checksum == digest:
                return "skipped"
            author = Author.objects.get(pk=record.object_id)
            author.name = name[:120]
            author.save()
            self.remember("author", wp_author.login, author, digest, data)
            return "updated"
        slug = _free_slug(slugify(wp_author.login) or "author", Author)
        author = Author.objects.create(
            name=name[:120], slug=slug, email=wp_author.email[:254]
        )
        if self.options.create_users:
            author.user = _contributor(wp_author)
            author.save()
        self.remember("author", wp_author.login, author, digest, data)
        return "imported"

    # -- posts and pages ---------------------------------------------------------

    def import_posts(self) -> None:
        self.images = self.image_lookup()
        self.sections = self.mapping("category")
        self.tags = self.mapping("tag")
        self.authors = self.mapping("author")
        self.outlet_name = OutletSettings.for_site(self.site).name
        from .batch import NewArticles

        self.new_articles = NewArticles(self, self.options.batch)
        self.progress.start("posts", self.total("post", "page"))
        for item in self.items({"post", "page"}):
            self.progress.advance()
            if item.status not in POST_STATUSES:
                self.report.count(item.post_type, "skipped")
                self.report.note(
                    item.post_type,
                    item.wp_id,
                    item.title,
                    "skipped",
                    f"status {item.status or 'unknown'} is not imported",
                )
                continue
            if self.new_articles.take(item):
                continue
            work = self.article if item.post_type == "post" else self.plain_page
            self.one_item(
                item.post_type, item.wp_id, item.title, lambda i=item, w=work: w(i)
            )
        self.new_articles.flush()
        self.rates["posts"] = self.progress.finish()

    def image_lookup(self):
        from .media import ImageIndex

        return ImageIndex(self.mapping("attachment"))

    def item_digest(self, item: wxr.WPItem) -> str:
        return checksum(
            item.title,
            item.content,
            item.excerpt,
            item.status,
            item.date_gmt,
            item.modified_gmt,
            item.slug,
            item.categories,
            item.tags,
            item.creator,
            item.sticky,
            item.password,
            item.comments_open,
            item.meta.get("_thumbnail_id", ""),
            item.parent_id,
        )

    def convert_body(self, item: wxr.WPItem, notes=None):
        """The body's blocks; what changed on the way is noted in the report, or
        added to ``notes`` for a post whose batch is not written yet."""
        result = body_conversion.convert(item.content, self.images.find)
        for note in result.notes:
            if notes is None:
                self.report.note(
                    item.post_type, item.wp_id, item.title, "changed", note
                )
            else:
                notes.append(note)
        return result.blocks

    def article_fields(self, item: wxr.WPItem, notes=None) -> dict:
        blocks = self.convert_body(item, notes)
        place = self.take_dateline(blocks)
        return {
            "title": (item.title or item.slug or "Untitled")[:255],
            "standfirst": plain_text(item.excerpt)[:400],
            "body": blocks,
            "dateline_place": place,
            "lead_image_id": self.images.by_id(item.meta.get("_thumbnail_id")),
            # The comments app's per-page policy, kept with the page's revisions.
            "comment_policy": [CommentPolicy(comments_open=item.comments_open)],
            "original_guid": item.guid[:500],
        }

    def article(self, item: wxr.WPItem) -> str:
        digest = self.item_digest(item)
        record = self.known("post", item.wp_id)
        if record is not None and record.checksum == digest:
            return "skipped"
        sections = [
            SectionPage.objects.get(pk=self.sections[slug].object_id)
            for slug, _ in item.categories
            if slug in self.sections
        ] or [self.fallback_section()]
        fields = self.article_fields(item)
        authors = self.bylines(item)
        tags = self.tag_objects(item)
        if record is None:
            fields["slug"] = self.free_slug(sections[0], item, ArticlePage)
            article = do_create_article(
                sections[0], authors=authors, tags=tags, **fields
            )
            outcome = "imported"
        else:
            article = ArticlePage.objects.get(pk=record.object_id)
            for name, value in fields.items():
                setattr(article, name, value)
            article.bylines = [
                ArticleByline(author=a, sort_order=i) for i, a in enumerate(authors)
            ]
            article.tags.set(tags)
            outcome = "updated"
        article.also_in.set(sections[1:])
        self.apply_status(article, item)
        if item.sticky and item.status == "publish":
            self.make_top_story(article)
        self.remember(
            "post",
            item.wp_id,
            article,
            digest,
            {"link": item.link, "slug": item.slug, "type": "post"},
        )
        return outcome

    def plain_page(self, item: wxr.WPItem) -> str:
        digest = self.item_digest(item)
        record = self.known("page", item.wp_id)
        if record is not None and record.checksum == digest:
            return "skipped"
        fields = {
            "title": (item.title or item.slug or "Untitled")[:255],
            "body": self.convert_body(item),
        }
        if record is None:
            parent = self.home
            parent_record = (
                self.known("page", item.parent_id) if item.parent_id else None
            )
            if parent_record is not None:
                parent = PlainPage.objects.get(pk=parent_record.object_id)
            page = PlainPage(slug=self.free_slug(parent, item, PlainPage), **fields)
            parent.add_child(instance=page)
            outcome = "imported"
        else:
            page = PlainPage.objects.get(pk=record.object_id)
            for name, value in fields.items():
                setattr(page, name, value)
            outcome = "updated"
        self.apply_status(page, item)
        self.remember(
            "page",
            item.wp_id,
            page,
            digest,
            {"link": item.link, "slug": item.slug, "type": "page"},
        )
        return outcome

    def free_slug(self, parent, item, model) -> str:
        wanted = wp_slug(item.slug, item.title)[:240]
        siblings = set(
            Page.objects.child_of(parent)
            .filter(slug__startswith=wanted)
            .values_list("slug", flat=True)
        )
        slug = unused_slug(wanted, siblings)
        if slug != wanted:
            self.report.note(
                item.post_type,
                item.wp_id,
                item.title,
                "changed",
                slug_moved(wanted, slug),
            )
        return slug

    def fallback_section(self) -> SectionPage:
        section = SectionPage.objects.child_of(self.home).filter(slug="news").first()
        if section is None:
            section = SectionPage(title="News", slug="news")
            self.home.add_child(instance=section)
            section.save_revision().publish()
        return section

    def bylines(self, item) -> list[Author]:
        record = self.authors.get(item.creator)
        if record is not None:
            return [Author.objects.get(pk=record.object_id)]
        login = item.creator or "wordpress"
        author = Author.objects.filter(slug=slugify(login)).first()
        return [
            author
            or Author.objects.create(name=login, slug=slugify(login) or "wordpress")
        ]

    def tag_objects(self, item) -> list[Tag]:
        keys = [self.tags[slug].object_id for slug, _ in item.tags if slug in self.tags]
        return list(Tag.objects.filter(pk__in=keys))

    def take_dateline(self, blocks) -> str:
        """The place from a first paragraph opening "Place (Outlet) – ", which is
        then left to the article's own dateline."""
        first = next((b for b in blocks if b["type"] == "paragraph"), None)
        if first is None or not self.outlet_name:
            return ""
        pattern = re.compile(
            r"^(<p>\s*(?:<(?:strong|b)>)?)\s*([^\W\d][^()<>]{0,78}?)\s*\(\s*"
            + re.escape(html.escape(self.outlet_name, quote=False))
            + r"\s*\)\s*(?:</(?:strong|b)>)?\s*[–—-]+\s*",
        )
        match = pattern.match(first["value"])
        if match is None:
            return ""
        first["value"] = match.group(1) + first["value"][match.end() :]
        first["value"] = re.sub(
            r"^<p>\s*<(strong|b)>\s*</\1>\s*", "<p>", first["value"]
        )
        return match.group(2).strip()[:80]

    def apply_status(self, page, item: wxr.WPItem) -> None:
        """Live, draft, scheduled or restricted, as the post was in WordPress."""
        when = item.date_gmt
        now = timezone.now()
        if item.status in {"draft", "pending"}:
            page.save_revision(log_action=True)
            return
        if item.status == "future" and when and when > now:
            if isinstance(page, ArticlePage):
                do_schedule_article(page, when)
            else:
                page.go_live_at = when
                page.save_revision().publish()
            return
        if isinstance(page, ArticlePage):
            do_publish_article(page)
        else:
            page.save_revision().publish()
        if when:
            type(page).objects.filter(pk=page.pk).update(
                first_published_at=when,
                last_published_at=max(item.modified_gmt or when, when),
            )
        self.restrict(page, item)

    def restrict(self, page, item) -> None:
        PageViewRestriction.objects.filter(page=page).delete()
        if item.status == "private":
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.LOGIN
            )
        elif item.password:
            PageViewRestriction.objects.create(
                page=page,
                restriction_type=PageViewRestriction.PASSWORD,
                password=item.password[:255],
            )

    def make_top_story(self, article) -> None:
        home = HomePage.objects.get(pk=self.home.pk)
        if HomeTopStory.objects.filter(page=home, article=article).exists():
            return
        count = HomeTopStory.objects.filter(page=home).count()
        HomeTopStory.objects.create(page=home, article=article, sort_order=count)


def unused_slug(wanted: str, taken) -> str:
    slug, n = wanted, 2
    while slug in taken:
        slug, n = f"{wanted}-{n}", n + 1
    return slug


def slug_moved(wanted: str, slug: str) -> str:
    return f"slug {wanted} was taken; now {slug}"


def _parents_first(categories: dict[str, wxr.WPTerm]) -> list[wxr.WPTerm]:
    ordered, placed = [], set()

    def place(term, seen=()):
        if term.slug in placed or term.slug in seen:
            return
        parent = categories.get(term.parent_slug)
        if parent is not None:
            place(parent, (*seen, term.slug))
        placed.add(term.slug)
        ordered.append(term)

    for term in categories.values():
        place(term)
    return ordered


def _free_slug(wanted: str, model) -> str:
    slug, n = wanted[:110], 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{wanted[:110]}-{n}", n + 1
    return slug


def _contributor(wp_author: wxr.WPAuthor):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    user = User.objects.filter(username=wp_author.login).first()
    if user is None:
        user = User(
            username=wp_author.login[:150],
            email=wp_author.email,
            first_name=wp_author.first_name[:150],
            last_name=wp_author.last_name[:150],
        )
        user.set_unusable_password()
        user.save()
    group = Group.objects.filter(name="Contributors").first()
    if group is not None:
        user.groups.add(group)
    return user


def urlpath(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")
