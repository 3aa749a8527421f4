"""Search upkeep the worker runs (article indexing itself is Wagtail's task)."""

from django_tasks import task
from wagtail.search.backends import get_search_backends

from .backends.titles import IncrementalTitleNorms


@task()
def refresh_title_norms() -> int:
    """Every index entry's title norm against the exact average title length, as
    ``update_index`` leaves it; the number of indexes refreshed."""
    refreshed = 0
    for backend in get_search_backends():
        for index in backend.all_indexes():
            if isinstance(index, IncrementalTitleNorms):
                index.refresh_title_norms()
                refreshed += 1
    return refreshed
