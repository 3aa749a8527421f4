"""Live coverage: a live page (an article whose body is a stream of entries) and its
entries, each a row of its own.

Entries are rows rather than a StreamField of the page so that reporters post, edit
and pin them without saving a revision of the page: two reporters posting at the same
moment each insert a row, and neither overwrites the other's revision.
"""

from django.conf import settings
from django.db import models
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from dateline.caching.tags import add_tags
from dateline.newsroom.models import ArticlePage, Author

from . import conf


class Coverage(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    LIVE = "live", _("Live")
    ENDED = "ended", _("Ended")


class LivePage(RoutablePageMixin, ArticlePage):
    """An article whose body is a stream of timestamped entries, newest first.

    Built on the article, so its headline, standfirst, bylines, dateline, lead image,
    tags, sections, ad slots and comments are the article's own, and every listing,
    feed and sitemap of articles lists it.
    """

    coverage = models.CharField(
        _("coverage"), max_length=10, choices=Coverage.choices, default=Coverage.LIVE
    )
    coverage_start = models.DateTimeField(_("coverage starts"), null=True, blank=True)
    coverage_end = models.DateTimeField(
        _("coverage ended"),
        null=True,
        blank=True,
        help_text=_("No entry may be posted after this time."),
    )
    oldest_first = models.BooleanField(
        _("oldest entry first"),
        default=False,
        help_text=_("For a story told in order, such as a match or a hearing."),
    )

    content_panels = [
        *ArticlePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("coverage"),
                FieldPanel("coverage_start"),
                FieldPanel("coverage_end"),
                FieldPanel("oldest_first"),
            ],
            heading=_("Live coverage"),
        ),
    ]
    parent_page_types = ["dateline_newsroom.SectionPage"]
    subpage_types = []
    template = "live/live_page.html"
    # Its coverage state moves with the clock, and its entries are the page.
    keeps_shell = False

    class Meta:
        verbose_name = _("live page")

    def coverage_state(self, now=None) -> str:
        """Upcoming, live or ended, by the state the desk set and the end time."""
        now = now or timezone.now()
        if self.coverage == Coverage.ENDED or (
            self.coverage_end and self.coverage_end <= now
        ):
            return Coverage.ENDED
        if self.coverage == Coverage.UPCOMING or (
            self.coverage_start and self.coverage_start > now
        ):
            return Coverage.UPCOMING
        return Coverage.LIVE

    def is_going_on(self, now=None) -> bool:
        return self.coverage_state(now) != Coverage.ENDED

    def cache_tags(self):
        return [*super().cache_tags(), f"live:{self.pk}"]

    def serve(self, request, view=None, args=None, kwargs=None):
        if self.is_embargoed():
            raise Http404
        add_tags(
            f"article:{self.pk}", f"comments-of:{self.pk}", "bylines", f"live:{self.pk}"
        )
        response = super().serve(request, view, args, kwargs)
        if self.is_going_on():
            # Readers' browsers keep it briefly; the proxy keeps it until a purge.
            patch_cache_control(response, max_age=conf.poll_seconds())
        return response

    def get_context(self, request, *args, **kwargs):
        from .queries import reader_page

        context = super().get_context(request, *args, **kwargs)
        context.update(reader_page(self, request.GET))
        return context

    @path("entries/", name="entries")
    def poll(self, request):
        """New entries after ``?after=<id>`` as JSON: what the page's script polls."""
        from .queries import poll_answer

        return JsonResponse(poll_answer(self, request.GET.get("after")))


class LiveEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(approved=True)

    def for_reader(self):
        """With what an entry shows: its author and its image's renditions."""
        return self.select_related("author", "image").prefetch_related(
            "image__renditions"
        )


class LiveEntry(models.Model):
    """One update of a live page. Written only through ``dateline.live.actions``."""

    page = models.ForeignKey(LivePage, on_delete=models.CASCADE, related_name="entries")
    posted_at = models.DateTimeField(_("time"), default=timezone.now)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    embed_url = models.URLField(
        _("link to embed"),
        blank=True,
        help_text=_("A post or video elsewhere; readers get a link, not a frame."),
    )
    author = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_entries",
        verbose_name=_("author"),
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    key_event = models.BooleanField(_("key event"), default=False)
    approved = models.BooleanField(_("approved"), default=False)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        indexes = [models.Index(fields=["page", "approved", "id"])]

    def __str__(self):
        return self.title or f"{self.page_id}#{self.pk}"

    # No ``cache_tags()``: what an entry's change retires depends on the change
    # (a published entry also moves the page in feeds and listings), so each action
    # in ``actions.py`` invalidates for itself.

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"
