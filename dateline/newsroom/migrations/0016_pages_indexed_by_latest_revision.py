from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dateline_newsroom", "0015_story_tag_and_story_author_indexes"),
    ]

    operations = [
        # The admin's page listing sorts a section's pages by their latest revision,
        # newest first (Wagtail's default ordering), fifty at a time. Wagtail does not
        # index that column, so every view of a big section sorted all its stories;
        # with the index the database reads the fifty newest. The table is Wagtail's,
        # so the index is plain SQL, the same on SQLite and PostgreSQL.
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS dateline_page_latest_revision "
            "ON wagtailcore_page (latest_revision_created_at)",
            "DROP INDEX IF EXISTS dateline_page_latest_revision",
        ),
    ]
