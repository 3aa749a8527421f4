"""The title norm of new index entries, from a stored average.

Wagtail's database index scores a title match by ``title_norm``: the average title
length over this title's length, so that short titles that match rank higher.
Stock, every ``add_items`` computes the average over the whole index table and
then updates every entry still at the default norm: two reads of the archive for
each published article. Here the average comes from ``TitleLengths``, a running
sum and count, and only the entries just written are read and updated, so the
work per article is the same at a thousand articles or a million.

The running figures count an entry again each time it is reindexed (and keep a
deleted one), and old entries keep the norm of the average they were indexed
against; the full refresh (``update_index`` and the ``refresh-title-norms``
periodic job) puts both right, exactly as Wagtail computes them.
"""

from contextlib import contextmanager

from django.db.models import Count, F, Sum
from django.db.models.functions import Length
from django.utils.encoding import force_str
from modelsearch.utils import get_content_type_pk

from ..models import TitleLengths

STATS_PK = 1


class IncrementalTitleNorms:
    """A mixin for Wagtail's SQLite and PostgreSQL index classes."""

    batch = None  # (content type pk, object ids) of the entries being written

    def add_items(self, model, objs):
        objs = list(objs)
        with self.writing(model, [force_str(o.pk) for o in objs]):
            super().add_items(model, objs)

    @contextmanager
    def writing(self, model, object_ids):
        """Title norms refreshed inside this block measure only these entries."""
        self.batch = (get_content_type_pk(model), object_ids)
        try:
            yield
        finally:
            self.batch = None

    def refresh_title_norms(self):
        """Every entry's norm against the exact average; the stored sum and count
        recounted. Reads and rewrites the whole index: for a periodic job."""
        self._refresh_title_norms(full=True)

    def _refresh_title_norms(self, full=False):
        if full or self.batch is None:
            super()._refresh_title_norms(full=True)
            self.store_lengths(self.titled(self.entries), replace=True)
            return
        content_type_pk, ids = self.batch
        written = self.entries.filter(
            content_type_id=content_type_pk, object_id__in=ids
        )
        average = self.store_lengths(self.titled(written))
        if average:
            self.titled(written).update(title_norm=average / F("title_length"))

    def reset(self):
        super().reset()
        self.stats().delete()

    def titled(self, entries):
        return entries.annotate(title_length=Length("title")).filter(title_length__gt=0)

    def stats(self):
        return TitleLengths.objects.using(self.write_connection.alias).filter(
            pk=STATS_PK
        )

    def store_lengths(self, entries, replace=False) -> float | None:
        """Add the title lengths of ``entries`` to the stored sum and count (or
        replace them); the average after."""
        added = entries.aggregate(total=Sum("title_length"), count=Count("pk"))
        total, count = added["total"] or 0, added["count"]
        if replace:
            values = {"total": total, "count": count}
            if not self.stats().update(**values):
                self.stats().get_or_create(pk=STATS_PK, defaults=values)
            return self.stats().get().average()
        figures = self.add_lengths(total, count)
        if figures is None:
            # No figures yet (an index built before they were kept, or just
            # reset): counted once from the whole index, new entries included.
            return self.store_lengths(self.titled(self.entries), replace=True)
        return figures.average()

    def add_lengths(self, total, count) -> TitleLengths | None:
        """Add ``count`` titles ``total`` long in all to the stored figures, and
        return them; None when there are none to add to."""
        if not self.stats().update(total=F("total") + total, count=F("count") + count):
            return None
        return self.stats().get()
