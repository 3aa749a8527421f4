"""The bound that keeps a search to the newest matches of its words.

A word found in most stories would otherwise have every story of the archive read
and scored on each search. Index entries' ids grow as stories are first indexed, so
the newest matches are those at or above the id of the Nth newest match, read off
the index in one pass (``DATELINE_SEARCH_NEWEST_MATCHES``, see docs/search.md).
"""

from django.db.models import Subquery
from django.db.models.functions import Coalesce


def newest_bound(matching, id_field: str, newest: int):
    """The id of the ``newest``-th newest entry of ``matching``, or 0 when there are
    fewer: entries at or above it are the newest ``newest`` matches."""
    nth = matching.order_by(f"-{id_field}").values(id_field)[newest - 1 : newest]
    return Coalesce(Subquery(nth), 0)
