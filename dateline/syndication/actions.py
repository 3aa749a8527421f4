"""Writes of the syndication app: the months of the archive the sitemap index lists.

``ArchiveMonth`` keeps, per site and month of first publication, what
``queries.article_months`` would count. A story's publication, withdrawal, move,
restriction or hiding recounts its month alone (``receivers.py``); writes that go
around those signals (``dateline generate``, an import, a restricted section) and
the daily job rebuild every month in one grouped query.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from . import queries
from .models import ArchiveMonth


def do_refresh_archive_months(months: Iterable[date | None]) -> None:
    """Recount ``months`` (first days; None is ignored) for every site."""
    months = {month.replace(day=1) for month in months if month is not None}
    if not months:
        return
    for root in queries.site_roots():
        for month in months:
            figures = queries.month_figures(root, month)
            if figures["count"]:
                ArchiveMonth.objects.update_or_create(
                    root=root, month=month, defaults=figures
                )
            else:
                ArchiveMonth.objects.filter(root=root, month=month).delete()


def do_refresh_archive_months_of(articles) -> None:
    """Recount the months ``articles`` were first published in."""
    do_refresh_archive_months(queries.month_of(article) for article in articles)


def do_rebuild_archive_months() -> int:
    """Count every month of every site afresh; how many months are listed now."""
    rows = []
    roots = list(queries.site_roots())
    for root in roots:
        rows += [
            ArchiveMonth(
                root=root,
                month=timezone_date(row["month"]),
                count=row["count"],
                lastmod=row["lastmod"],
            )
            for row in queries.article_months(root)
        ]
    with transaction.atomic():
        ArchiveMonth.objects.all().delete()
        ArchiveMonth.objects.bulk_create(rows)
    return len(rows)


def timezone_date(month) -> date:
    """The month ``TruncMonth`` gives (an aware datetime in the current time zone,
    or a date on some backends) as the date of its first day."""
    return month.date() if hasattr(month, "date") else month
