"""The search index as the database holds it, for tests that compare entries.

An entry written by one path and the same entry written by another are equal when
every stored column is: on PostgreSQL the tsvectors as text (lexemes, positions,
weights), the plain texts and the title norm; on SQLite the entry and the FTS5 row
its triggers keep beside it, which is what a search reads.
"""

from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from wagtail.search.models import IndexEntry

from dateline.search.models import TitleLengths

VECTORS = ["title", "autocomplete", "body"]


def stored_index():
    """Every index entry's stored columns, by object id, and the title lengths."""
    return {"entries": stored_entries(), "title_lengths": stored_title_lengths()}


def stored_entries():
    if connection.vendor == "postgresql":
        rows = IndexEntry.objects.values(
            "content_type_id", "object_id", "title_norm", "title_text", "body_text"
        ).annotate(**{f"{name}_vector": Cast(name, TextField()) for name in VECTORS})
        return {row["object_id"]: row for row in rows}
    rows = IndexEntry.objects.values(
        "id", "content_type_id", "object_id", "title_norm", *VECTORS
    )
    fts = sqlite_fts_rows()
    return {
        row["object_id"]: {**row, "id": None, "fts": fts.get(row["id"])} for row in rows
    }


def sqlite_fts_rows():
    table = f"{IndexEntry._meta.db_table}_fts"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, title, body, autocomplete FROM {table}")  # noqa: S608
        return {rowid: texts for rowid, *texts in cursor.fetchall()}


def stored_title_lengths():
    return list(TitleLengths.objects.values_list("total", "count"))
