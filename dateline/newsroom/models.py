"""Articles, sections, authors and the outlet's identity."""

from datetime import timedelta
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
    TitleFieldPanel,
)
from wagtail.admin.widgets.slug import SlugInput
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction, Site
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from dateline.caching.shells import KeptTemplateResponse, cacheable_params
from dateline.caching.tags import add_tags

from . import conf
from .blocks import ArticleBodyBlock
from .forms import ArticlePageForm
from .invalidation import CachedSetting, article_tags
from .panels import ExtensionPanels
from .text import (
    count_story_words,
    plain_text,
    reading_minutes,
    shorten,
    text_direction,
)
from .text import dateline as compose_dateline
from .widgets import DatelinePlaceInput

# A republish within this window of the first publication is the same publication,
# not an update readers need to be told about.
UPDATE_GRACE = timedelta(minutes=1)

# The Wagtail hook through which apps above the newsroom add to the article page's
# query: each function takes the queryset and returns it, annotated or prefetching
# more (the comments app adds its counts). The newsroom names none of them.
ARTICLE_PAGE_QUERYSET_HOOK = "dateline_article_page_queryset"

# The Wagtail hook through which apps above the newsroom add page types a section may
# hold (the live app's live pages): each function returns model names
# ("app_label.ModelName"). The newsroom names none of them.
SECTION_SUBPAGE_TYPES_HOOK = "dateline_section_subpage_types"


def _footer_page(verbose_name):
    return models.ForeignKey(
        "PlainPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
    )


@register_setting(icon="site")
class OutletSettings(CachedSetting, BaseSiteSetting):
    """Who publishes: the name in every dateline, the masthead and feeds."""

    name = models.CharField(
        _("outlet name"),
        max_length=120,
        default="Dateline",
        help_text=_('Shown in datelines, e.g. "Islamabad (The Dateline Gazette)".'),
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    short_name = models.CharField(
        _("short name"),
        max_length=30,
        blank=True,
        help_text=_("Under the icon on a phone's home screen; the name if empty."),
    )
    icon = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("site icon"),
        help_text=_(
            "A square picture, at least 512 pixels wide: the browser tab's icon and "
            "the phone's home-screen icon. Without one the bundled favicon is used."
        ),
    )
    theme_colour = models.CharField(
        _("theme colour"),
        max_length=7,
        default="#b3121b",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour such as #b3121b."))
        ],
        help_text=_("The colour a phone gives the browser's bar, as #rrggbb."),
    )
    about_page = _footer_page(_("about page"))
    contact_page = _footer_page(_("contact page"))
    privacy_page = _footer_page(_("privacy page"))
    terms_page = _footer_page(_("terms page"))
    facebook_url = models.URLField(_("Facebook"), blank=True)
    x_url = models.URLField(_("X"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("tagline"),
        MultiFieldPanel(
            [FieldPanel("short_name"), FieldPanel("icon"), FieldPanel("theme_colour")],
            heading=_("Icon and home screen"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("about_page"),
                FieldPanel("contact_page"),
                FieldPanel("privacy_page"),
                FieldPanel("terms_page"),
            ],
            heading=_("Footer pages"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("x_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("linkedin_url"),
            ],
            heading=_("Social links"),
        ),
    ]

    class Meta:
        verbose_name = _("outlet")

    FOOTER_PAGES = ("about_page", "contact_page", "privacy_page", "terms_page")
    SOCIAL_LINKS = (
        ("facebook_url", "Facebook"),
        ("x_url", "X"),
        ("instagram_url", "Instagram"),
        ("youtube_url", "YouTube"),
        ("linkedin_url", "LinkedIn"),
    )

    def footer_page_ids(self) -> list[int]:
        """The chosen footer pages' ids, in the footer's order."""
        ids = (getattr(self, f"{name}_id") for name in self.FOOTER_PAGES)
        return [pk for pk in ids if pk]

    def social_links(self) -> list[tuple[str, str]]:
        """(network, address) for each social account the outlet has."""
        return [
            (label, getattr(self, name))
            for name, label in self.SOCIAL_LINKS
            if getattr(self, name)
        ]

    @property
    def home_screen_name(self) -> str:
        return self.short_name or self.name


@register_setting(icon="warning")
class BreakingNews(CachedSetting, BaseSiteSetting):
    """A banner above every page, until it is cleared or its expiry time comes.

    Pages are cached with the banner in them: ``tasks.expire_breaking_news`` retires
    them when the expiry passes, so the banner goes without anyone saving anything.
    """

    text = models.CharField(_("text"), max_length=200, blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("story"),
        help_text=_("The story the banner links to."),
    )
    link = models.CharField(
        _("other link"),
        max_length=500,
        blank=True,
        help_text=_("Only when the banner links somewhere other than a story."),
    )
    expires_at = models.DateTimeField(
        _("expires"),
        null=True,
        blank=True,
        help_text=_("The banner goes away then. Empty: it stays until cleared."),
    )

    panels = [
        FieldPanel("text"),
        PageChooserPanel("link_page", "dateline_newsroom.ArticlePage"),
        FieldPanel("link"),
        FieldPanel("expires_at"),
    ]

    class Meta:
        verbose_name = _("breaking news")

    def is_showing(self, now=None) -> bool:
        if not self.text:
            return False
        return self.expires_at is None or self.expires_at > (now or timezone.now())

    def href(self) -> str:
        """Where the banner leads: the chosen story while it is live, else the
        other link."""
        page = self.link_page
        if page is not None and page.live:
            return page.url or ""
        return self.link


class DatelinePlace(models.Model):
    """A place the newsroom files from, offered when writing a dateline."""

    name = models.CharField(_("name"), max_length=80, unique=True)

    panels = [FieldPanel("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("dateline place")

    def __str__(self):
        return self.name


class Author(index.Indexed, models.Model):
    """A person who writes for the outlet. Their e-mail is for the newsroom only."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Made from the name when left empty."),
    )
    job_title = models.CharField(_("title"), max_length=120, blank=True)
    bio = models.TextField(_("bio"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    email = models.EmailField(
        _("e-mail"),
        blank=True,
        help_text=_("For the newsroom; never published."),
    )
    website = models.URLField(_("website"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        verbose_name=_("newsroom account"),
        help_text=_("A Reporter may edit the articles this author has a byline on."),
    )
    x_handle = models.CharField(_("X handle"), max_length=50, blank=True)

    panels = [
        TitleFieldPanel("name", placeholder=False, apply_if_live=True),
        FieldPanel("slug", widget=SlugInput),
        FieldPanel("job_title"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("email"),
        FieldPanel("website"),
        FieldPanel("x_handle"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.free_slug(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("newsroom:author", args=[self.slug])

    @classmethod
    def free_slug(cls, name: str) -> str:
        """A slug made from ``name`` that no other author has ("name-2" if taken)."""
        base = slugify(name, allow_unicode=True)[:110] or "author"
        taken = set(
            cls.objects.filter(slug__startswith=base).values_list("slug", flat=True)
        )
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return slug

    def cache_tags(self):
        # Their page and every byline (article pages carry "bylines").
        return [f"author:{self.pk}", "bylines", "front"]


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "ArticlePage",
        related_name="tagged_items",
        on_delete=models.CASCADE,
    )

    class Meta:
        indexes = [
            # The newest stories carrying a tag, read as one index range whatever
            # the archive's size ("Related stories", queries.shared_tag_counts).
            models.Index(
                fields=["tag", "-content_object"], name="newsroom_tag_newest_story"
            ),
            # Does this story carry this tag: asked of each story as a big tag's
            # listing is read newest first (queries.articles_tagged).
            models.Index(fields=["content_object", "tag"], name="newsroom_story_tag"),
        ]


class HomePage(Page):
    """The front page: a lead story, then the latest articles."""

    lead_story = models.ForeignKey(
        "ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead story"),
        help_text=_("Leave empty to lead with the latest article."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead_story"),
        InlinePanel("top_stories", label=_("Top story"), max_num=8),
    ]
    subpage_types = ["SectionPage", "TopicPage", "PlainPage"]
    max_count = 1
    template = "newsroom/home_page.html"

    def route(self, request, path_components):
        # Articles are most of the traffic: find one by its stored path in one query,
        # rather than one query per path segment and another for its specific type.
        if len(path_components) >= 2:
            from .queries import article_at

            article = article_at(self.url_path + "/".join(path_components) + "/")
            # A page type built on the article (a live page) is served as its own
            # type, found through the tree. Checked here rather than in the query,
            # which must keep to the slug's index.
            if article is not None and article.content_type_id == article_type().pk:
                return RouteResult(article)
        return super().route(request, path_components)

    def cache_tags(self):
        # "site": the site lookup keeps the home page with the site.
        return [f"page:{self.pk}", "front", "menu", "site"]

    def get_context(self, request, *args, **kwargs):
        from .queries import front_page

        add_tags(f"page:{self.pk}", "front")
        context = super().get_context(request, *args, **kwargs)
        context.update(front_page(self))
        return context


def article_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(ArticlePage)


class HomeTopStory(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="top_stories")
    article = models.ForeignKey(
        "ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("article"),
    )

    panels = [FieldPanel("article")]


class SectionPage(RoutablePageMixin, Page):
    """A section of the news (World, Business); its articles are its children, and
    articles elsewhere may also appear in it."""

    intro = models.CharField(_("intro"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, ExtensionPanels()]
    parent_page_types = ["HomePage", "SectionPage"]
    subpage_types = ["ArticlePage", "SectionPage"]
    template = "newsroom/section_page.html"

    @classmethod
    def clean_subpage_models(cls):
        from wagtail.coreutils import resolve_model_string

        extra = [
            name for fn in hooks.get_hooks(SECTION_SUBPAGE_TYPES_HOOK) for name in fn()
        ]
        models = super().clean_subpage_models()
        return [
            *models,
            *(resolve_model_string(name, cls._meta.app_label) for name in extra),
        ]

    def cache_tags(self):
        return [f"page:{self.pk}", f"section:{self.pk}", "front", "menu"]

    def get_context(self, request, *args, **kwargs):
        from .queries import articles_in_section

        add_tags(f"page:{self.pk}", f"section:{self.pk}")
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = self.paginate(request, articles_in_section(self))
        return context

    def paginate(self, request, articles):
        from .paging import listing_page

        return listing_page(articles, request.GET.get("page"))

    @path("<int:year>/")
    @path("<int:year>/<int:month>/")
    def archive(self, request, year, month=None):
        """The section's articles first published in a year or a month."""
        from .queries import articles_in_section

        if not (1900 <= year <= 9999) or (month is not None and not 1 <= month <= 12):
            raise Http404
        articles = articles_in_section(self).filter(first_published_at__year=year)
        if month:
            articles = articles.filter(first_published_at__month=month)
        overrides = {
            "archive_year": year,
            "archive_month": month,
            "articles": self.paginate(request, articles),
        }
        return self.render(request, context_overrides=overrides)


class TopicPage(Page):
    """A curated page on one running story, listing every article with its tag."""

    intro = models.TextField(_("intro"), blank=True)
    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.PROTECT, related_name="+", verbose_name=_("tag")
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("tag")]
    parent_page_types = ["HomePage"]
    subpage_types = []
    template = "newsroom/topic_page.html"

    def cache_tags(self):
        return [f"page:{self.pk}", "front", "menu"]

    def get_context(self, request, *args, **kwargs):
        from .paging import listing_page
        from .queries import articles_tagged

        add_tags(f"page:{self.pk}", f"tag:{self.tag.slug}")
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = listing_page(
            articles_tagged(self.tag), request.GET.get("page")
        )
        return context


class PlainPage(Page):
    """A page that is not news: About us, Contact, a policy."""

    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["HomePage", "PlainPage"]
    subpage_types = ["PlainPage"]
    template = "newsroom/plain_page.html"

    class Meta:
        verbose_name = _("plain page")


class ArticlePageQuerySet(PageQuerySet):
    def released(self, now=None):
        """What readers may see: live, public and past any embargo."""
        now = now or timezone.now()
        return (
            self.live()
            .public()
            .filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=now))
        )

    def for_article_page(self):
        """What the article page reads with the article on every view: what the
        ``ARTICLE_PAGE_QUERYSET_HOOK`` functions add (the comment counts). Its
        authors are a second read (``queries.article_at``). The section, lead image,
        tags and corrections (a query each) are read only where the page is rendered
        in full: the other views take them from the kept page (``caching.shells``).
        """
        queryset = self
        for extend in hooks.get_hooks(ARTICLE_PAGE_QUERYSET_HOOK):
            queryset = extend(queryset)
        return queryset


class ArticlePage(Page):
    """A story. Its primary section is the section it sits under in the page tree."""

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    standfirst = models.TextField(_("standfirst"), max_length=400, blank=True)
    dateline_place = models.CharField(
        _("dateline"),
        max_length=80,
        blank=True,
        help_text=_('Where the story was reported, e.g. "Islamabad".'),
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead image"),
    )
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=conf.default_language,
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    section = models.ForeignKey(
        SectionPage,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("primary section"),
    )
    additional_reporting = models.CharField(
        _("additional reporting by"), max_length=200, blank=True
    )
    also_in = ParentalManyToManyField(
        SectionPage,
        blank=True,
        related_name="+",
        verbose_name=_("also in sections"),
        help_text=_("Other sections that list this article."),
    )
    embargo_until = models.DateTimeField(
        _("embargoed until"),
        null=True,
        blank=True,
        help_text=_(
            "Until this time the article is hidden everywhere readers look, even "
            "when published."
        ),
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    # The identifier feeds gave the story on the site it was imported from, kept so
    # feed readers do not see every imported story as new.
    # The database default keeps bulk inserts that name their columns
    # (``generate.py``) working without it.
    original_guid = models.CharField(
        _("feed identifier"),
        max_length=500,
        blank=True,
        editable=False,
        default="",
        db_default="",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [
                InlinePanel("bylines", label=_("Author"), min_num=1),
                FieldPanel("additional_reporting"),
                FieldPanel("dateline_place", widget=DatelinePlaceInput),
            ],
            heading=_("Byline and dateline"),
        ),
        FieldPanel("lead_image"),
        FieldPanel("body"),
        FieldPanel("tags"),
        FieldPanel("also_in", widget=forms.CheckboxSelectMultiple),
        InlinePanel("corrections", label=_("Correction or update")),
    ]
    settings_panels = [
        *Page.settings_panels,
        FieldPanel("embargo_until"),
        FieldPanel("language"),
        ExtensionPanels(),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
    ]
    parent_page_types = ["SectionPage"]
    subpage_types = []
    template = "newsroom/article_page.html"
    base_form_class = ArticlePageForm

    class Meta:
        verbose_name = _("article")
        permissions = [
            ("edit_bylined_article", _("Can edit articles they have a byline on")),
        ]
        indexes = [
            # When an embargo last lifted: the API's Last-Modified reads the newest
            # one off this index instead of every released story.
            # Partial: a listing's "no embargo, or past it" filter must not make
            # the database start from this index instead of the publication date's.
            models.Index(
                fields=["embargo_until"],
                name="newsroom_article_embargo",
                condition=models.Q(embargo_until__isnull=False),
            ),
        ]

    def permissions_for_user(self, user):
        from .permissions import ArticlePermissionTester

        return ArticlePermissionTester(user, self)

    def clean(self):
        super().clean()
        self.update_reading_time()
        parent = self.get_parent() if self.depth else None
        if parent is not None and parent.specific_class is SectionPage:
            self.section_id = parent.pk

    def is_embargoed(self, now=None) -> bool:
        return bool(self.embargo_until and self.embargo_until > (now or timezone.now()))

    @property
    def status_string(self):
        # Wagtail's listings and dashboard would call a published story under
        # embargo "live": readers cannot see it yet, so the newsroom must not think so.
        if self.live and self.is_embargoed():
            return self.embargo_label()
        return super().status_string

    def embargo_label(self) -> str:
        when = date_format(timezone.localtime(self.embargo_until), "j M Y H:i")
        return _("EMBARGOED until %(when)s") % {"when": when}

    def get_view_restrictions(self):
        # Wagtail asks the database on every view; restrictions are rare, so the paths
        # they cover are kept with the content version and the database is asked only
        # for a story under one of them.
        from .queries import restricted_paths

        if not any(self.path.startswith(path) for path in restricted_paths()):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def cache_tags(self):
        return article_tags(self)

    # Whether a view reads the page kept as HTML with holes (``caching.shells``),
    # rendering only its ``{% per_view %}`` parts. A page type that shows what
    # changes with the clock outside those parts (a live page) turns it off.
    keeps_shell = True

    def serve(self, request, *args, **kwargs):
        # A reader who guesses the address of an embargoed story finds nothing there.
        if self.is_embargoed():
            raise Http404
        # Beyond the story itself: its section's name and address, its picture.
        shown = [f"article:{self.pk}"]
        if self.section_id:
            shown.append(f"page:{self.section_id}")
        if self.lead_image_id:
            shown.append(f"image:{self.lead_image_id}")
        add_tags(*shown, f"comments-of:{self.pk}", "bylines")
        key = self.shell_key(request)
        if key is None:
            return super().serve(request, *args, **kwargs)
        request.is_preview = False
        # Comments and bylines are rendered on every view: the kept page does not
        # depend on them.
        return KeptTemplateResponse(
            request,
            self.get_template(request, *args, **kwargs),
            self.get_context(request, *args, **kwargs),
            shell_key=key,
            tags=shown,
        )

    def shell_key(self, request) -> str | None:
        """What the kept page depends on beyond its cache tags: this revision, the
        language, the address asked for with the query parameters a cache may keep.
        None where nothing is kept: a page type that opts out, a POST, while
        developing, or with kept fragments off."""
        if not self.keeps_shell or request.method not in ("GET", "HEAD"):
            return None
        if settings.DEBUG or not getattr(settings, "DATELINE_FRAGMENT_CACHE", True):
            return None
        # Only the parameters that select a page of something are in the key (the
        # kept parts read ``?page=`` for the canonical address); any other, such
        # as a newsletter's ``utm_source``, changes nothing kept and shares it.
        kept = cacheable_params()
        query = "&".join(
            f"{k}={v}" for k, v in sorted(request.GET.items()) if k in kept
        )
        published = self.last_published_at.timestamp() if self.last_published_at else 0
        return (
            f"article:{self.pk}:{self.live_revision_id}:{published}:{get_language()}:"
            f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        )

    def update_reading_time(self, outlet_name: str | None = None):
        """Store words and minutes once, at save, so a page view never counts.

        The dateline counts too, so a new outlet name changes every story's count:
        ``dateline recount_reading_time`` (``do_recount_reading_time``) recounts.
        """
        if outlet_name is None:
            outlet_name = self.outlet_name()
        # Counted on the blocks as they will be stored (sanitised). Going through the
        # bound blocks also makes every item native, so saving sends each through its
        # block's get_prep_value, which is where a paragraph is sanitised on the way in.
        stored = (
            {"type": block.block_type, "value": block.block.get_prep_value(block.value)}
            for block in self.body
        )
        self.word_count = count_story_words(stored, self.dateline(outlet_name))
        self.reading_minutes = reading_minutes(
            self.word_count, conf.reading_wpm(self.language)
        )

    def outlet_name(self) -> str:
        """The name in this story's dateline: its site's outlet (the default site's
        while a new story has no place in the tree yet)."""
        site = self.get_site() or Site.objects.filter(is_default_site=True).first()
        return OutletSettings.for_site(site).name if site else ""

    @property
    def was_updated(self) -> bool:
        first, last = self.first_published_at, self.last_published_at
        return bool(first and last and last - first > UPDATE_GRACE)

    @cached_property
    def authors(self):
        # ``all()`` rather than a fresh query: the article page and listings have
        # prefetched the bylines with their authors.
        return [byline.author for byline in self.bylines.all()]

    @property
    def text_direction(self) -> str:
        """``"rtl"`` for a story in Urdu, Arabic and other right-to-left languages."""
        return text_direction(self.language)

    def opening(self, limit: int = 160) -> str:
        """The story's first words, as plain text of at most ``limit`` characters:
        what a search result shows of a story that has no standfirst."""
        text = ""
        for block in self.body:
            if block.block_type == "paragraph":
                text = f"{text} {plain_text(block.value.source)}".strip()
                if len(text) >= limit:
                    break
        return shorten(text, limit)

    def body_items(self):
        """The body's blocks, each paragraph numbered so templates can place slots."""
        paragraphs = 0
        for block in self.body:
            if block.block_type == "paragraph":
                paragraphs += 1
                yield BodyItem(block, paragraphs)
            else:
                yield BodyItem(block, None)

    def dateline(self, outlet_name: str) -> str:
        return compose_dateline(self.dateline_place, outlet_name)


class ArticleCorrection(Orderable):
    """A correction or an update note, shown on the article and the Corrections page."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.CORRECTION
    )
    text = models.TextField(_("text"), max_length=2000)
    published_at = models.DateTimeField(_("date and time"), default=timezone.now)

    panels = [FieldPanel("kind"), FieldPanel("published_at"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("correction")


class BodyItem(NamedTuple):
    block: object
    paragraph_number: int | None


class ArticleByline(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author,
        on_delete=models.PROTECT,
        related_name="bylines",
        verbose_name=_("author"),
    )

    # A plain list: a newsroom's authors fit in one, and it needs no extra dialog.
    panels = [FieldPanel("author", widget=forms.Select)]

    class Meta(Orderable.Meta):
        verbose_name = _("byline")
        indexes = [
            # Is this story bylined to this author: asked of each story as a busy
            # author's listing is read newest first (queries.articles_by_author).
            models.Index(fields=["page", "author"], name="newsroom_story_author"),
        ]
