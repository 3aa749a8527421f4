"""The database's planner statistics, brought up to date after bulk writes and
once a day.

Without them a planner guesses. SQLite keeps none until ``ANALYZE`` runs: for a
big tag's listing, read newest first with each story checked for the tag, it
guessed a scan of every story and a sort (0.3 s at 100,000 stories) where, with
statistics, it reads the newest off the publication-date index and stops at the
page's end (2 ms). PostgreSQL's autovacuum gathers them by itself, but only some
time after a bulk load: right after ``dateline generate`` wrote 100,000 stories no
table had been analysed yet, and the listings' plans were those of an empty site.
"""

from django.db import connections

# Rows SQLite samples per index: seconds, not minutes, on an archive of a million
# stories (ANALYZE holds the write lock while it runs), and enough for the planner
# to tell a selective index from a poor one.
ANALYSIS_LIMIT = 10_000


def refresh(using: str = "default") -> bool:
    """Gather the database's statistics now; whether this database has any to
    gather (SQLite and PostgreSQL do)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # samples each table: seconds at a million
        return True
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
        _count_empty_tables(cursor)
    return True


def _count_empty_tables(cursor) -> None:
    """Tell the planner that the tables ANALYZE found empty are small.

    ANALYZE records nothing for an empty table, and SQLite takes a table it has no
    figures for to hold about a million rows: it then read every page of the
    archive to join it with the empty table of view restrictions, on every view.
    A row count of one is what SQLite's own documentation offers for this."""
    cursor.execute(
        "INSERT INTO sqlite_stat1 (tbl, idx, stat) "
        "SELECT name, NULL, '1' FROM sqlite_schema WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' "
        "AND name NOT IN (SELECT tbl FROM sqlite_stat1)"
    )
    cursor.execute("ANALYZE sqlite_schema")  # load the figures just written
