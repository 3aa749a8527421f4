"""Reads of live coverage for readers: the page's entries a page at a time, and the
answer to the page's poll. Each costs a fixed number of queries however many entries
the page has."""

from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse

from . import conf
from .models import LiveEntry

KEY_EVENTS = 20
POLL_NEW = 50  # a reader further behind than this reloads
POLL_RECENT = 200  # the entries whose removal or edit a poll reports


def as_id(value) -> int | None:
    """A cursor from the query string: a positive entry id, or None."""
    value = str(value or "")
    return int(value) if value.isdigit() and 0 < len(value) < 19 else None


def published_entries(page):
    return LiveEntry.objects.filter(page_id=page.pk).published()


def reader_page(page, params) -> dict:
    """What the live page shows: pinned entries, the key events, one page of the
    stream (newest or oldest first) and the cursor of the next."""
    size, entries = conf.page_size(), published_entries(page).for_reader()
    stream = entries.filter(pinned=False)
    before, after = as_id(params.get("before")), as_id(params.get("after"))
    if page.oldest_first:
        stream = stream.filter(pk__gt=after) if after else stream
        shown = list(stream.order_by("pk")[: size + 1])
        cursor, first_page = "after", after is None
    else:
        stream = stream.filter(pk__lt=before) if before else stream
        shown = list(stream.order_by("-pk")[: size + 1])
        cursor, first_page = "before", before is None
    more = f"?{cursor}={shown[size - 1].pk}" if len(shown) > size else ""
    shown = shown[:size]
    pinned = list(entries.filter(pinned=True).order_by("-pk")) if first_page else []
    return {
        "live_entries": shown,
        "live_pinned": pinned,
        "live_key_events": key_events(page, {e.pk for e in shown + pinned}),
        "live_more_url": more,
        "live_first_page": first_page,
        "live_latest_id": latest_id(page),
        "live_state": page.coverage_state(),
        "live_poll_seconds": conf.poll_seconds(),
        "live_ad_every": conf.ad_every(),
    }


def key_events(page, shown_ids) -> list[dict]:
    """The key events, newest first, each with a link to its entry: on this page
    of entries when it is here, else on the page of entries that holds it."""
    events = published_entries(page).filter(key_event=True).order_by("-pk")
    events = events.only("pk", "title", "body", "posted_at")[:KEY_EVENTS]
    return [
        {"entry": entry, "href": _entry_href(page, entry, shown_ids)}
        for entry in events
    ]


def _entry_href(page, entry, shown_ids) -> str:
    if entry.pk in shown_ids:
        return f"#{entry.anchor}"
    cursor = f"after={entry.pk - 1}" if page.oldest_first else f"before={entry.pk + 1}"
    return f"?{cursor}#{entry.anchor}"


def latest_id(page) -> int:
    return published_entries(page).aggregate(latest=Max("pk"))["latest"] or 0


def poll_answer(page, after) -> dict:
    """What changed since the reader's newest entry ``after``: the entries posted
    since (as HTML, newest first), the ids still published among the latest (so an
    entry taken down goes), and the entries edited among them (so an edit shows)."""
    after = as_id(after) or 0
    entries = published_entries(page)
    new = list(entries.filter(pk__gt=after).for_reader().order_by("-pk")[:POLL_NEW])
    recent = list(entries.order_by("-pk").values_list("pk", "edited_at")[:POLL_RECENT])
    edited_ids = [pk for pk, edited in recent if edited and pk <= after][:POLL_NEW]
    edited = entries.filter(pk__in=edited_ids).for_reader() if edited_ids else []
    return {
        "latest": recent[0][0] if recent else 0,
        "count": len(new),
        "html": _render(page, new),
        "present": [pk for pk, _ in recent],
        "present_from": recent[-1][0] if len(recent) == POLL_RECENT else 0,
        "edited": {
            entry.pk: {"stamp": _stamp(entry), "html": _render(page, [entry])}
            for entry in edited
        },
        "state": page.coverage_state(),
    }


def _stamp(entry) -> str:
    return entry.edited_at.isoformat() if entry.edited_at else ""


def _render(page, entries) -> str:
    if not entries:
        return ""
    return render_to_string(
        "live/includes/entries.html", {"page": page, "entries": entries}
    )


def admin_url(page) -> str:
    return reverse("dateline_live_desk", args=[page.pk])


def going_on(now=None):
    """A ``Q`` on articles: the live pages whose coverage has not ended."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import Coverage, LivePage

    now = now or timezone.now()
    pages = LivePage.objects.exclude(coverage=Coverage.ENDED).exclude(
        coverage_end__lte=now
    )
    return Q(pk__in=pages.values("pk"))
