"""Writes to live coverage: the admin screen, the demo loader and tests come here.

Every write is one row of its own (no page revision), and every write retires what
readers see of the page through its cache tags: ``live:<id>`` (the page and the
endpoint its script polls) always; a change to what is published also bumps the
page's ``last_published_at`` and retires its listings, feeds and sitemaps, which
date the page by it.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from dateline.caching.tags import invalidate
from dateline.newsroom.actions import do_set_breaking_news
from dateline.newsroom.blocks import sanitise_rich_text
from dateline.newsroom.models import ArticleByline

from .models import Coverage, LiveEntry, LivePage

ENTRY_FIELDS = ("title", "body", "image", "embed_url", "author", "pinned", "key_event")
BANNER_HOURS = 2


def do_create_live_page(section, *, authors, tags=(), **fields) -> LivePage:
    """Add a draft live page under ``section`` with its bylines, in the order given;
    ``do_publish_article`` publishes it as it does an article."""
    page = LivePage(live=False, **fields)
    page.bylines = [
        ArticleByline(author=author, sort_order=i) for i, author in enumerate(authors)
    ]
    with transaction.atomic():
        section.add_child(instance=page)
        if tags:
            page.tags.set(list(tags))
            page.save()
    return page


def do_post_entry(
    page: LivePage, *, body: str, approved: bool = True, user=None, now=None, **fields
) -> LiveEntry:
    """Add an entry to ``page``; published at once when ``approved``.

    The body goes through the editor's sanitiser. Refused with a ValidationError on
    ``body`` once coverage has ended: an archive does not grow.
    """
    now = now or timezone.now()
    page = LivePage.objects.get(pk=page.pk)  # the coverage as stored, not as loaded
    if not page.is_going_on(now):
        raise ValidationError({"body": _("Coverage has ended: no more entries.")})
    entry = LiveEntry(page=page, posted_at=now, posted_by=user, approved=approved)
    _apply(entry, dict(fields, body=body))
    with transaction.atomic():
        entry.save()
        _changed(page, published=approved, now=now)
    return entry


def do_edit_entry(entry: LiveEntry, *, now=None, **fields) -> LiveEntry:
    """Change an entry's content; readers see "Updated <time>" on it from now on."""
    now = now or timezone.now()
    _apply(entry, fields)
    entry.edited_at = now
    with transaction.atomic():
        entry.save()
        _changed(entry.page, published=entry.approved, now=now)
    return entry


def do_pin_entry(entry: LiveEntry, pinned: bool) -> LiveEntry:
    """Keep the entry at the top of the page (or stop)."""
    LiveEntry.objects.filter(pk=entry.pk).update(pinned=pinned)
    entry.pinned = pinned
    invalidate([f"live:{entry.page_id}"])
    return entry


def do_approve_entry(entry: LiveEntry, *, now=None) -> LiveEntry:
    """Publish an entry that waited for an editor."""
    now = now or timezone.now()
    with transaction.atomic():
        LiveEntry.objects.filter(pk=entry.pk).update(approved=True)
        entry.approved = True
        _changed(entry.page, published=True, now=now)
    return entry


def do_delete_entry(entry: LiveEntry, *, now=None) -> None:
    """Remove an entry; readers' pages drop it at their next poll."""
    page, published = entry.page, entry.approved
    with transaction.atomic():
        entry.delete()
        _changed(page, published=published, now=now or timezone.now())


def do_set_coverage(page: LivePage, state: str, *, user=None, now=None) -> LivePage:
    """Start or end coverage, as a published revision of the page so that the next
    edit in the page editor keeps the state. Ending it sets the end time."""
    now = now or timezone.now()
    page = LivePage.objects.get(pk=page.pk)
    page.coverage = state
    if state == Coverage.LIVE:
        page.coverage_start, page.coverage_end = page.coverage_start or now, None
    elif state == Coverage.ENDED:
        page.coverage_end = now
    page.save_revision(user=user, log_action=True).publish(user=user)
    page.refresh_from_db()
    return page


def do_flag_breaking_news(entry: LiveEntry, *, now=None, hours=BANNER_HOURS) -> None:
    """Put the site-wide breaking-news banner up for ``hours``, naming the entry and
    linking to it on the live page."""
    now = now or timezone.now()
    page = entry.page
    text = entry.title or _plain_start(entry.body) or page.title
    link = f"{page.url}#{entry.anchor}"
    do_set_breaking_news(
        page.get_site(), text=text, link=link, expires_at=now + timedelta(hours=hours)
    )


# Permission checks, then the action.


def check_post_entry(user, page: LivePage, *, breaking=False, **fields) -> LiveEntry:
    """Anyone who may edit the page posts; the entry is live at once only for those
    who may publish it, and waits for an editor's approval otherwise."""
    permissions = page.permissions_for_user(user)
    if not permissions.can_edit():
        raise PermissionDenied
    entry = do_post_entry(page, approved=permissions.can_publish(), user=user, **fields)
    if breaking and entry.approved and entry.key_event:
        do_flag_breaking_news(entry)
    return entry


def check_edit_entry(user, entry: LiveEntry, **fields) -> LiveEntry:
    _require(user, entry, publish=entry.approved)
    return do_edit_entry(entry, **fields)


def check_pin_entry(user, entry: LiveEntry, pinned: bool) -> LiveEntry:
    _require(user, entry, publish=True)
    return do_pin_entry(entry, pinned)


def check_approve_entry(user, entry: LiveEntry) -> LiveEntry:
    _require(user, entry, publish=True)
    return do_approve_entry(entry)


def check_delete_entry(user, entry: LiveEntry) -> None:
    _require(user, entry, publish=entry.approved)
    do_delete_entry(entry)


def check_set_coverage(user, page: LivePage, state: str) -> LivePage:
    if not page.permissions_for_user(user).can_publish():
        raise PermissionDenied
    return do_set_coverage(page, state, user=user)


def _require(user, entry, *, publish):
    permissions = entry.page.permissions_for_user(user)
    if not (permissions.can_publish() if publish else permissions.can_edit()):
        raise PermissionDenied


def _apply(entry, fields):
    for name, value in fields.items():
        if name not in ENTRY_FIELDS:
            raise TypeError(f"not a field of an entry: {name}")
        setattr(entry, name, value)
    entry.body = sanitise_rich_text(entry.body)


def _changed(page, *, published: bool, now: datetime):
    """Retire the page's cached copies; a published change also dates the page."""
    if not published:
        invalidate([f"live:{page.pk}"])
        return
    Page.objects.filter(pk=page.pk).update(last_published_at=now)
    invalidate(page.cache_tags())


def _plain_start(html: str) -> str:
    from dateline.newsroom.text import plain_text, shorten

    return shorten(plain_text(html), 120)
