"""Reading time now counts the dateline ("Islamabad (The Dateline Gazette)") that opens
a story's first paragraph: recount every stored article, in batches.

Historical models only; the counting itself is ``newsroom.text``, the same function the
model uses, which works on the body's blocks as stored.
"""

from django.db import migrations

from dateline.newsroom import conf
from dateline.newsroom.text import count_story_words, dateline, reading_minutes

BATCH = 500


def outlet_names(apps):
    """(root page path, outlet name) per site, deepest first, and the default site's
    name for a story under no site."""
    Site = apps.get_model("wagtailcore", "Site")
    OutletSettings = apps.get_model("dateline_newsroom", "OutletSettings")
    default_name = OutletSettings._meta.get_field("name").default
    stored = dict(OutletSettings.objects.values_list("site_id", "name"))
    names, fallback = [], default_name
    for site in Site.objects.select_related("root_page"):
        name = stored.get(site.pk, default_name)
        names.append((site.root_page.path, name))
        if site.is_default_site:
            fallback = name
    names.sort(key=lambda entry: len(entry[0]), reverse=True)
    return names, fallback


def recount_reading_time(apps, schema_editor):
    ArticlePage = apps.get_model("dateline_newsroom", "ArticlePage")
    names, fallback = outlet_names(apps)
    articles = ArticlePage.objects.order_by("pk").only(
        "path", "dateline_place", "language", "body", "word_count", "reading_minutes"
    )
    pks = list(articles.values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        batch = list(articles.filter(pk__in=pks[start : start + BATCH]))
        for article in batch:
            outlet = next(
                (name for root, name in names if article.path.startswith(root)),
                fallback,
            )
            article.word_count = count_story_words(
                article.body.raw_data, dateline(article.dateline_place, outlet)
            )
            article.reading_minutes = reading_minutes(
                article.word_count, conf.reading_wpm(article.language)
            )
        ArticlePage.objects.bulk_update(batch, ["word_count", "reading_minutes"])


class Migration(migrations.Migration):
    dependencies = [
        ("dateline_newsroom", "0008_comment_policy_moved_to_comments"),
    ]

    operations = [
        migrations.RunPython(recount_reading_time, migrations.RunPython.noop),
    ]
