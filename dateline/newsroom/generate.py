"""Many realistic articles, fast: for load tests, benchmarks and big-site tests.

Wagtail adds pages one at a time (tree paths, revisions, signals), which takes minutes
for tens of thousands. Here the tree paths are computed and the rows written in bulk;
the result is the same rows ``add_child`` and ``publish`` would make, without
revisions (an editor's first save makes one).
"""

import json
import random
import uuid
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from treebeard.numconv import NumConv
from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from dateline.caching.tags import invalidate

from . import conf
from .models import ArticleByline, ArticlePage, Author, SectionPage
from .text import count_words, dateline, reading_minutes

WORDS = (
    "council budget water river market school station report hospital farmers valley "
    "bridge festival court harbour library engineers survey minister province rain "
    "monsoon exports cotton wheat railway power grid heat glacier city police trade "
    "investors clinic teachers students election assembly road tunnel port fishermen"
).split()
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
        self.outlet_name = outlet_name  # counted in each story's dateline
        self.days = days
        self.now = timezone.now()
        self.content_type = ContentType.objects.get_for_model(ArticlePage)
        self.numconv = NumConv(Page.alphabet)

    def sentence(self, low=8, high=20):
        words = self.random.choices(WORDS, k=self.random.randint(low, high))
        return " ".join(words).capitalize() + "."

    def body(self):
        paragraphs = [
            " ".join(self.sentence() for _ in range(self.random.randint(2, 5)))
            for _ in range(self.random.randint(4, 12))
        ]
        blocks = [
            {"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())}
            for text in paragraphs
        ]
        words = sum(len(text.split()) for text in paragraphs)
        return blocks, words

    def child_path(self, section, number):
        return section.path + self.numconv.int2str(number).rjust(Page.steplen, "0")

    def pages_for(self, section, start, count):
        pages, extra = [], []
        for offset in range(count):
            number = start + offset + 1
            title = self.sentence(5, 11).rstrip(".")
            slug = f"{slugify(title)[:60]}-{number}"
            when = self.now - timedelta(
                seconds=self.random.randint(60, self.days * 86400)
            )
            pages.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=self.content_type,
                    path=self.child_path(section, number),
                    depth=section.depth + 1,
                    numchild=0,
                    live=True,
                    url_path=f"{section.url_path}{slug}/",
                    locale_id=section.locale_id,
                    first_published_at=when,
                    last_published_at=when,
                    translation_key=uuid.uuid4(),
                )
            )
            extra.append(self.article_row(section))
        return pages, extra

    def article_row(self, section):
        blocks, words = self.body()
        place = self.random.choice(["Islamabad", "Karachi", "Lahore"])
        words += count_words(dateline(place, self.outlet_name))
        return [
            self.sentence(12, 30),
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


def insert_articles(generator, section, start, count, authors):
    pages, extra = generator.pages_for(section, start, count)
    with transaction.atomic():
        created = Page.objects.bulk_create(pages)
        table = connection.ops.quote_name(ArticlePage._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in ARTICLE_COLUMNS)
        marks = ", ".join(["%s"] * len(ARTICLE_COLUMNS))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                [[page.pk, *row] for page, row in zip(created, extra, strict=True)],
            )
        ArticleByline.objects.bulk_create(
            ArticleByline(
                page_id=page.pk, author=generator.random.choice(authors), sort_order=0
            )
            for page in created
        )
        Page.objects.filter(pk=section.pk).update(numchild=start + count)
        # Rows written around Wagtail's publish send no page_published: retire the
        # cached pages that list them as a publish would, once the batch commits.
        invalidate(
            [f"section:{section.pk}", "front", *(f"author:{a.pk}" for a in authors)]
        )
    return created


def index_articles(pks):
    """Add these articles to every search backend, one bulk write each: what
    ``update_index`` would write for them, without reading the rest of the site."""
    articles = list(ArticlePage.get_indexed_objects().filter(pk__in=pks).order_by("pk"))
    for backend in get_search_backends():
        backend.add_bulk(ArticlePage, articles)
    return len(articles)


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
