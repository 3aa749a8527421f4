"""The database's planner statistics, brought up to date after bulk writes and
once a day.

PostgreSQL's autovacuum keeps them by itself. SQLite keeps none until ``ANALYZE``
runs, and without them its planner guesses: for a big tag's listing, read newest
first with each story checked for the tag, it guessed a scan of every story and a
sort (0.3 s at 100,000 stories) where, with statistics, it reads the newest off
the publication-date index and stops at the page's end (2 ms).
"""

from django.db import connections

# Rows SQLite samples per index: seconds, not minutes, on an archive of a million
# stories, and enough for the planner to tell a selective index from a poor one.
ANALYSIS_LIMIT = 2000


def refresh(using: str = "default") -> bool:
    """Gather statistics where the database does not gather its own; whether it
    did."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True
