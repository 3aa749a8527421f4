"""Wagtail's database search backends with a title norm that costs nothing per item.

``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "dateline.search.backends"}}``
picks the one for the default database, as ``wagtail.search.backends.database``
does. See docs/search.md (2026-12-03) for why these subclasses exist.
"""

from functools import cache

from django.db import connection


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in the module
    # The stock modules import models that exist only on their own database.
    if connection.vendor == "postgresql":
        from .postgres import PostgresSearchBackend

        return PostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        if sqlite_fts():
            from .sqlite import SQLiteSearchBackend

            return SQLiteSearchBackend(params)
    from modelsearch.backends.database import SearchBackend as stock

    return stock(params)


@cache
def sqlite_fts() -> bool:
    """Whether SQLite has FTS5 and the index's FTS table: asked once a process, as
    the stock backend asks, not at every indexing."""
    from modelsearch.backends.database.sqlite import utils

    return utils.fts5_available() and utils.fts_table_exists()
