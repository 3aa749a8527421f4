"""Many realistic articles, fast: for load tests, benchmarks and big-site tests.

Wagtail adds pages one at a time (tree paths, revisions, signals), which takes minutes
for tens of thousands. Here the tree paths are computed and the rows written in bulk;
the result is the same rows ``add_child`` and ``publish`` would make, without
revisions (an editor's first save makes one).

The search index is the other half of the cost. Wagtail's index writers read each
object's fields again in Python; here the generator hands each article's search
values (the text it wrote) to Dateline's database backends, which build the
entries a batch at a time in SQL (``dateline/search/backends/values.py``): the same
entries ``update_index`` writes.
"""

import json
import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from treebeard.numconv import NumConv
from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from dateline.caching.tags import invalidate

from . import conf
from .models import ArticleByline, ArticlePage, ArticleTag, Author, SectionPage
from .text import count_words, dateline, reading_minutes

WORDS = (
    "council budget water river market school station report hospital farmers valley "
    "bridge festival court harbour library engineers survey minister province rain "
    "monsoon exports cotton wheat railway power grid heat glacier city police trade "
    "investors clinic teachers students election assembly road tunnel port fishermen"
).split()
# Few tags, many stories each: a tag page of a big archive lists tens of thousands.
SENTENCES = 5000  # in the pool that bodies are drawn from
TAGS = "water budget election monsoon trade railway health schools".split()
ARTICLE_COLUMNS = [
    "page_ptr_id",
    "standfirst",
    "dateline_place",
    "body",
    "language",
    "section_id",
    "word_count",
    "reading_minutes",
    "additional_reporting",
    "embargo_until",
    "lead_image_id",
]


class ArticleGenerator:
    def __init__(self, seed=1, days=365, outlet_name=""):
        self.random = random.Random(seed)  # noqa: S311 - sample text, not security
        self.unique = random.Random()  # noqa: S311 - ids, not secrets
        self.outlet_name = outlet_name  # counted in each story's dateline
        self.days = days
        self.now = timezone.now()
        self.content_type = ContentType.objects.get_for_model(ArticlePage)
        self.numconv = NumConv(Page.alphabet)
        # Bodies are drawn from a pool of sentences: making each sentence afresh
        # was a third of the generator's time.
        self.sentences = [self.sentence() for _ in range(SENTENCES)]

    def sentence(self, low=8, high=20):
        words = self.random.choices(WORDS, k=self.random.randint(low, high))
        return " ".join(words).capitalize() + "."

    def uuid(self):
        """A random UUID, cheaper than ``uuid4()``'s read of the system's entropy;
        from a generator of its own, seeded by the system, since another run with
        the same seed needs other translation keys."""
        return uuid.UUID(int=self.unique.getrandbits(128), version=4)

    def body(self):
        paragraphs = [
            " ".join(self.random.choices(self.sentences, k=self.random.randint(2, 5)))
            for _ in range(self.random.randint(4, 12))
        ]
        blocks = [
            {"type": "paragraph", "value": f"<p>{text}</p>", "id": str(self.uuid())}
            for text in paragraphs
        ]
        return blocks, paragraphs

    def child_path(self, section, number):
        return section.path + self.numconv.int2str(number).rjust(Page.steplen, "0")

    def page_defaults(self, section):
        """What every new page under ``section`` has in common."""
        return {
            "content_type": self.content_type,
            "depth": section.depth + 1,
            "numchild": 0,
            "live": True,
            "locale_id": section.locale_id,
        }

    def pages_for(self, section, start, count):
        """The fields of ``count`` new pages that differ from one to the next,
        their articles' rows (in ``ARTICLE_COLUMNS`` after the id) and the values
        of their search fields."""
        pages, extra, searchable = [], [], []
        for offset in range(count):
            number = start + offset + 1
            title = self.sentence(5, 11).rstrip(".")
            slug = f"{slugify(title)[:60]}-{number}"
            when = self.now - timedelta(
                seconds=self.random.randint(60, self.days * 86400)
            )
            pages.append(
                {
                    "title": title,
                    "draft_title": title,
                    "slug": slug,
                    "path": self.child_path(section, number),
                    "url_path": f"{section.url_path}{slug}/",
                    "first_published_at": when,
                    "last_published_at": when,
                    "translation_key": self.uuid(),
                }
            )
            row, values = self.article_row(section)
            extra.append(row)
            searchable.append({"title": title, **values})
        return pages, extra, searchable

    def article_row(self, section):
        blocks, paragraphs = self.body()
        place = self.random.choice(["Islamabad", "Karachi", "Lahore"])
        words = sum(len(text.split()) for text in paragraphs)
        words += count_words(dateline(place, self.outlet_name))
        standfirst = self.sentence(12, 30)
        row = [
            standfirst,
            place,
            json.dumps(blocks),
            "en",
            section.pk,
            words,
            reading_minutes(words, conf.reading_wpm("en")),
            "",
            None,
            None,
        ]
        # What each search field's get_value gives: a StreamField's is the text of
        # each block, and a paragraph of plain words is its text between the tags.
        return row, {"standfirst": standfirst, "body": paragraphs}


def insert_articles(generator, section, start, count, authors, tags=()):
    """Write ``count`` published articles under ``section``, numbered from
    ``start`` among its children, in one transaction. Returns their search
    fields' values by page id, for ``index_articles``."""
    pages, extra, searchable = generator.pages_for(section, start, count)
    with transaction.atomic():
        created = write_pages(generator.page_defaults(section), pages)
        write_rows(
            ArticlePage._meta.db_table,
            ARTICLE_COLUMNS,
            [[pk, *row] for pk, row in zip(created, extra, strict=True)],
        )
        write_rows(
            ArticleByline._meta.db_table,
            ["page_id", "author_id", "sort_order"],
            [[pk, generator.random.choice(authors).pk, 0] for pk in created],
        )
        if tags:
            write_rows(
                ArticleTag._meta.db_table,
                ["content_object_id", "tag_id"],
                [
                    [pk, tag.pk]
                    for pk in created
                    for tag in generator.random.sample(
                        tags, generator.random.randint(1, 2)
                    )
                ],
            )
        Page.objects.filter(pk=section.pk).update(numchild=start + count)
        # Rows written around Wagtail's publish send no page_published: retire the
        # cached pages that list them as a publish would, once the batch commits.
        invalidate(
            [
                f"section:{section.pk}",
                "front",
                *(f"author:{a.pk}" for a in authors),
                *(f"tag:{t.slug}" for t in tags),
            ]
        )
    return dict(zip(created, searchable, strict=True))


def write_pages(defaults, pages):
    """Store new pages, each ``defaults`` with its own fields from ``pages``
    (dicts); their ids, in order.

    PostgreSQL takes the rows through COPY, a several times cheaper path than an
    INSERT of the same rows, with ids drawn from the table's sequence first since
    COPY returns none; each row is one page's row made once, with the fields
    that differ put in. Other databases take them through ``bulk_create``."""
    if connection.vendor != "postgresql":
        created = Page.objects.bulk_create(Page(**defaults, **p) for p in pages)
        return [page.pk for page in created]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id'))"
            " FROM generate_series(1, %s)",
            [Page._meta.db_table, len(pages)],
        )
        pks = [pk for (pk,) in cursor.fetchall()]
    fields = [f for f in Page._meta.concrete_fields if f.column]
    template = Page(**defaults)
    base = [
        f.get_db_prep_save(f.value_from_object(template), connection) for f in fields
    ]
    where = {f.name: n for n, f in enumerate(fields)}
    rows = []
    for pk, page in zip(pks, pages, strict=True):
        row = base.copy()
        row[where["id"]] = pk
        for name, value in page.items():
            row[where[name]] = fields[where[name]].get_db_prep_save(value, connection)
        rows.append(row)
    write_rows(Page._meta.db_table, [f.column for f in fields], rows)
    return pks


def write_rows(table, columns, rows):
    """Insert ``rows`` (lists in the order of ``columns``) into ``table``: by
    COPY on PostgreSQL, one prepared INSERT per row elsewhere."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                f"COPY {quote(table)} ({names}) FROM STDIN"  # noqa: S608
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
            rows,
        )


def index_articles(articles):
    """Add ``articles`` (their search fields' values by id, as ``insert_articles``
    returns them) to every search backend: the entries ``update_index`` would
    write for them, without reading them or the rest of the site again.

    Dateline's database backends take the values themselves and build the entries
    in SQL, a statement or two a batch; any other backend gets the stored articles
    in one bulk write."""
    for backend in get_search_backends():
        if hasattr(backend, "add_values"):
            backend.add_values(ArticlePage, articles)
        else:
            stored = ArticlePage.get_indexed_objects().filter(pk__in=list(articles))
            backend.add_bulk(ArticlePage, list(stored))
    return len(articles)


class Indexing:
    """``index_articles`` for batch after batch, each while the next is written.

    On PostgreSQL the index entries cost the server about as much as the rows
    (it parses every body into tsvectors), so a thread with a connection of its
    own writes one batch's entries while this one makes and writes the next: the
    work spreads over two cores. One batch at a time is in hand. Inside a
    transaction (a test's), whose rows another connection cannot see, and on
    SQLite, which takes one writer at a time, each batch is indexed in line."""

    def __init__(self):
        concurrent = (
            connection.vendor == "postgresql" and not connection.in_atomic_block
        )
        self.thread = ThreadPoolExecutor(max_workers=1) if concurrent else None
        self.pending = None
        self.indexed = 0

    def add(self, articles):
        """Index ``articles`` (as ``insert_articles`` returns them)."""
        self.wait()
        if self.thread is None:
            self.indexed += index_articles(articles)
        else:
            self.pending = self.thread.submit(index_articles, articles)

    def wait(self):
        """Wait for the batch in hand, if any; raise what it raised."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self.indexed += pending.result()

    def close(self):
        try:
            self.wait()
        finally:
            if self.thread is not None:
                self.thread.submit(connections.close_all).result()
                self.thread.shutdown()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def generated_tags():
    """The tags generated stories carry, made on first use."""
    return [
        Tag.objects.get_or_create(name=name, defaults={"slug": name})[0]
        for name in TAGS
    ]


def sections_and_authors(home):
    sections = list(SectionPage.objects.child_of(home).live())
    if not sections:
        for name in ["News", "Business", "Sport"]:
            section = SectionPage(title=name, slug=slugify(name))
            home.add_child(instance=section)
            section.save_revision().publish()
            sections.append(section)
    authors = list(Author.objects.all()[:50])
    if not authors:
        authors = [
            Author.objects.create(name=f"Staff Writer {n}", slug=f"staff-writer-{n}")
            for n in range(1, 11)
        ]
    return sections, authors
