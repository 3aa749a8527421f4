from django.db import models
from django.utils.translation import gettext_lazy as _


class TitleLengths(models.Model):
    """The running sum and count of the search index's title lengths.

    Their quotient is the average title length that a new entry's ``title_norm``
    is measured against, so indexing one article need not read every entry
    (see ``backends/titles.py``). Adding entries adds to both; the full refresh
    (``update_index`` and the periodic job) sets them exactly.
    """

    total = models.BigIntegerField(default=0)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("search index title lengths")

    def __str__(self):
        return f"{self.count} titles, {self.total} long in all"

    def average(self) -> float | None:
        return self.total / self.count if self.count else None
