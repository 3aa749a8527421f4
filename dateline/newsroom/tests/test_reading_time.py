"""Reading time counts every word a reader reads, the dateline included."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from wagtail.models import Site

from dateline.newsroom.models import ArticlePage, OutletSettings
from dateline.testing.factories import make_article, words

pytestmark = pytest.mark.django_db

RECOUNT_MIGRATION = "0009_reading_time_counts_the_dateline"


@pytest.fixture
def cow_news():
    outlet = OutletSettings.for_site(Site.objects.get(is_default_site=True))
    outlet.name = "The COW News Digital"
    outlet.save()
    return outlet


def story_of_396_words():
    # With "Islamabad (The COW News Digital)" opening it, the reader reads 401 words.
    return [
        {"type": "paragraph", "value": f"<p>{words(200)}</p>"},
        {"type": "paragraph", "value": f"<p>{words(196, 1)}</p>"},
    ]


def test_a_401_word_story_with_its_dateline_reads_in_three_minutes(client, cow_news):
    article = make_article(dateline_place="Islamabad", body=story_of_396_words())
    assert article.word_count == 401
    assert article.reading_minutes == 3
    html = client.get(article.url).content.decode()
    assert "Islamabad (The COW News Digital)" in html
    assert "3 Min Read" in html


def test_a_story_without_a_dateline_counts_its_body_only(cow_news):
    article = make_article(dateline_place="", body=story_of_396_words())
    assert article.word_count == 396
    assert article.reading_minutes == 2


def test_a_dateline_without_a_paragraph_to_open_is_not_read(cow_news):
    # The dateline is shown only at the start of the first paragraph.
    article = make_article(
        dateline_place="Islamabad",
        body=[{"type": "subheading", "value": "Three words here"}],
    )
    assert article.word_count == 3


def recount_with_the_migration():
    migration = importlib.import_module(
        f"dateline.newsroom.migrations.{RECOUNT_MIGRATION}"
    )
    state = MigrationLoader(connection).project_state(
        ("dateline_newsroom", RECOUNT_MIGRATION)
    )
    migration.recount_reading_time(state.apps, connection.schema_editor())


def test_the_migration_recounts_stored_articles_with_their_dateline(cow_news):
    counted_before = make_article(dateline_place="Islamabad", body=story_of_396_words())
    undated = make_article(dateline_place="", body=story_of_396_words())
    # As stored before the dateline counted.
    ArticlePage.objects.filter(pk=counted_before.pk).update(
        word_count=396, reading_minutes=2
    )
    recount_with_the_migration()
    counted_before.refresh_from_db()
    undated.refresh_from_db()
    assert (counted_before.word_count, counted_before.reading_minutes) == (401, 3)
    assert (undated.word_count, undated.reading_minutes) == (396, 2)


def test_renaming_the_outlet_and_recounting_updates_every_story(cow_news):
    article = make_article(dateline_place="Islamabad", body=story_of_396_words())
    cow_news.name = "COW"
    cow_news.save()
    call_command("recount_reading_time", verbosity=0)
    article.refresh_from_db()
    assert (article.word_count, article.reading_minutes) == (398, 2)


def test_generated_articles_count_their_dateline(cow_news):
    call_command("generate", articles=3, no_index=True, verbosity=0)
    generated = list(ArticlePage.objects.all())
    assert len(generated) == 3
    stored = {article.pk: article.word_count for article in generated}
    call_command("recount_reading_time", verbosity=0)
    assert {
        article.pk: article.word_count for article in ArticlePage.objects.all()
    } == stored
