"""Writes of the syndication app: the months of the archive the sitemap index lists.

``ArchiveMonth`` keeps, per site and month of first publication, what
``queries.article_months`` would count. A story's publication, withdrawal, move,
restriction or hiding recounts its month alone (``receivers.py``), at once or, for a
month too big to read within the change, by the worker; writes that go
around those signals (``dateline generate``, an import, a restricted section) and
the daily job rebuild every month in one grouped query.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from . import conf, queries
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
    """Bring the months ``articles`` were first published in up to date after a
    change to them (a publish, a withdrawal, a move...).

    A month of up to ``DATELINE_ARCHIVE_RECOUNT_AT_ONCE`` stories is recounted now:
    one query over it. A bigger one would hold the editor's publish while the
    database reads tens of thousands of rows, so its newest change is written now
    for a story the index counts, and the worker recounts it once this commits.
    """
    from dateline.worker.queue import enqueue_with_commit

    from .tasks import refresh_archive_months

    by_month = {}
    for article in articles:
        if (month := queries.month_of(article)) is not None:
            by_month.setdefault(month, []).append(article)
    big = set(
        ArchiveMonth.objects.filter(
            month__in=by_month, count__gt=conf.archive_recount_at_once()
        ).values_list("month", flat=True)
    )
    do_refresh_archive_months(by_month.keys() - big)
    if not big:
        return
    for month in big:
        for article in by_month[month]:
            do_note_latest_change(article, month)
    enqueue_with_commit(
        refresh_archive_months, [month.isoformat() for month in sorted(big)]
    )


def do_note_latest_change(article, month: date) -> None:
    """Move the ``lastmod`` of ``month`` to ``article``'s last publication in each
    site that counts it; a story the index leaves out (embargoed, restricted,
    hidden, withdrawn) moves nothing."""
    if article.last_published_at is None:
        return
    for root in queries.site_roots():
        if queries.counted_in_index(root, article):
            ArchiveMonth.objects.filter(
                root=root, month=month, lastmod__lt=article.last_published_at
            ).update(lastmod=article.last_published_at)


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
