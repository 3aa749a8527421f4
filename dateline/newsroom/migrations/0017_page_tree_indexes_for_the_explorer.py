from django.db import migrations

# The admin's explorer (newsroom/explorer.py) lists a section's pages by their latest
# revision, newest first with pages never revised last: Wagtail orders by
# "latest_revision_created_at DESC NULLS LAST" (and by the reverse). SQLite sorts
# NULLs first in ascending order, so the plain index of 0016 serves both orders
# there; PostgreSQL sorts them last, so it needs the index built in Wagtail's order,
# which a backward scan also serves for the reverse.
#
# The tree's own reads ask for pages by depth ("the root pages": depth 1; "the
# children": a depth and a path prefix), and Wagtail has no index on depth: finding
# the root read every page. The pattern operator class lets PostgreSQL answer the
# path prefix from the same index whatever the database's collation.
#
# Wagtail's search index names its pages by their id as text, and its search joins
# them on "page.id::varchar = entry.object_id": no index served that side of the
# join, so PostgreSQL read every page to join a few hundred matches. The expression
# index is that cast, as Wagtail's query writes it.
POSTGRES = [
    (
        "CREATE INDEX IF NOT EXISTS dateline_page_latest_revision_desc "
        "ON wagtailcore_page (latest_revision_created_at DESC NULLS LAST)",
        "DROP INDEX IF EXISTS dateline_page_latest_revision_desc",
    ),
    (
        "DROP INDEX IF EXISTS dateline_page_latest_revision",
        "CREATE INDEX IF NOT EXISTS dateline_page_latest_revision "
        "ON wagtailcore_page (latest_revision_created_at)",
    ),
    (
        "CREATE INDEX IF NOT EXISTS dateline_page_depth_path "
        "ON wagtailcore_page (depth, path varchar_pattern_ops)",
        "DROP INDEX IF EXISTS dateline_page_depth_path",
    ),
    (
        "CREATE INDEX IF NOT EXISTS dateline_page_id_as_text "
        "ON wagtailcore_page (((id::varchar(50))::text))",
        "DROP INDEX IF EXISTS dateline_page_id_as_text",
    ),
]
OTHERS = [
    (
        "CREATE INDEX IF NOT EXISTS dateline_page_depth_path "
        "ON wagtailcore_page (depth, path)",
        "DROP INDEX IF EXISTS dateline_page_depth_path",
    ),
]


def statements(schema_editor):
    return POSTGRES if schema_editor.connection.vendor == "postgresql" else OTHERS


def forwards(apps, schema_editor):
    for create, _ in statements(schema_editor):
        schema_editor.execute(create)


def backwards(apps, schema_editor):
    for _, drop in reversed(statements(schema_editor)):
        schema_editor.execute(drop)


class Migration(migrations.Migration):
    dependencies = [
        ("dateline_newsroom", "0016_pages_indexed_by_latest_revision"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
