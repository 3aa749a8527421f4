"""The article page's read is built once per process and run with each view's values
(newsroom/compiled.py): the rows must be the ORM's own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dateline.newsroom.compiled import CompiledRead
from dateline.newsroom.models import ArticlePage, Author
from dateline.newsroom.queries import article_at
from dateline.testing.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def fields_of(page):
    return {f.attname: getattr(page, f.attname) for f in ArticlePage._meta.fields}


def test_the_article_read_is_the_orms_row_with_its_authors_in_byline_order():
    second, first = make_author(name="Second Writer"), make_author(name="First Writer")
    article = make_article(title="Two bylines", authors=[first, second])
    other = make_article(title="Another story")

    read = article_at(article.url_path)

    assert fields_of(read) == fields_of(ArticlePage.objects.get(pk=article.pk))
    assert [a.name for a in read.authors] == ["First Writer", "Second Writer"]
    assert article_at(other.url_path).pk == other.pk
    assert article_at(article.url_path + "nothing/") is None


def test_annotations_come_as_the_orm_converts_them():
    article = make_article()
    read = article_at(article.url_path)
    # A boolean from SQLite is 0 or 1 until the ORM's converters run.
    assert read.comments_open is True
    assert read.published_thread_count == 0


def test_the_article_and_its_authors_take_two_queries():
    article = make_article()
    article_at(article.url_path)
    with CaptureQueriesContext(connection) as captured:
        read = article_at(article.url_path)
        assert read.authors
    assert len(captured) == 2


def test_the_queryset_is_built_once_and_each_call_brings_its_own_values():
    authors = [make_author(name=f"Writer {n}") for n in range(3)]
    built = []

    def build(pk):
        built.append(pk)
        return Author.objects.filter(pk=pk)

    read = CompiledRead(Author, build, pk=int)
    assert [a.name for a in read(pk=authors[0].pk)] == ["Writer 0"]
    assert [a.name for a in read(pk=authors[2].pk)] == ["Writer 2"]
    assert read(pk=-1) == []
    assert len(built) == 1


def test_a_value_the_orm_rewrites_is_refused():
    make_author(name="Writer")
    read = CompiledRead(
        Author, lambda name: Author.objects.filter(name__contains=name), name=str
    )
    with pytest.raises(ValueError, match="as it was given"):
        read(name="Writ")


def test_an_address_holding_the_markers_finds_nothing(client):
    # A marker holds NUL, which no request may carry (site/unstorable.py); a value
    # that looks like one is a value like any other.
    article = make_article()
    looks_like = f"{article.url_path}dateline-compiled:slug/"
    assert article_at(looks_like) is None
    response = client.get(article.url + "%00dateline-compiled:slug%00/")
    assert response.status_code == 400


def test_a_read_joining_another_models_row_is_refused():
    # Only the model's own row is made into instances: a select_related would
    # need the related rows made too.
    read = CompiledRead(
        ArticlePage,
        lambda page_id: ArticlePage.objects.select_related("owner").filter(pk=page_id),
        page_id=int,
    )
    with pytest.raises(ValueError, match="own row"):
        read(page_id=1)
