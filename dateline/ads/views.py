"""The first-party ad requests: fill, impression beacon, click, the no-JavaScript
fallback and the slots' stylesheet. None of them reads or sets a cookie."""

import base64
from urllib.parse import urlsplit

from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import actions, serving
from .models import Creative
from .placements import reserved_sizes, sidebar_width
from .queries import inventory
from .tokens import CLICK, IMPRESSION, BadToken, read_token

# A transparent 1×1 GIF: what the no-JavaScript image shows when nothing fits.
NOTHING_GIF = base64.b64decode(
    "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
)


@require_GET
@never_cache
def fill(request):
    """What each slot of a page shows for this view (docs/ads.md)."""
    return JsonResponse({"slots": serving.fill(request)})


@csrf_exempt  # no cookie is involved; the signed token is the credential
@require_POST
@never_cache
def impression(request):
    """A slot was at least half on screen: count its impression once."""
    token = request.body[:1000].decode("ascii", "replace").strip()
    try:
        event = read_token(IMPRESSION, token)
    except BadToken:
        return HttpResponseBadRequest("bad token")
    actions.do_count(IMPRESSION, event, _agent(request))
    return HttpResponse(status=204)


@require_GET
@never_cache
def click(request, token):
    """Count the click, then send the reader to the advertiser."""
    try:
        event = read_token(CLICK, token)
    except BadToken:
        return HttpResponseBadRequest("bad token")
    url = inventory_click_url(event.creative_id)
    if not url:
        return HttpResponseBadRequest("no such ad")
    actions.do_count(CLICK, event, _agent(request))
    return HttpResponseRedirect(url)


@require_GET
@never_cache
def noscript_image(request, key):
    """The ad image for a reader without JavaScript, counted here."""
    chosen = serving.noscript_creative(request, key)
    if chosen is None:
        return HttpResponse(NOTHING_GIF, content_type="image/gif")
    slot, creative = chosen
    if creative.event is not None:
        actions.do_count(IMPRESSION, creative.event, _agent(request))
    return HttpResponseRedirect(creative.image_url)


@require_GET
@never_cache
def noscript_click(request, key):
    chosen = serving.noscript_creative(request, key)
    if chosen is None or not _is_safe(chosen[1].link_url, allow_path=True):
        return HttpResponseRedirect("/")
    slot, creative = chosen
    if creative.event is not None:
        actions.do_count(CLICK, creative.event, _agent(request))
    return HttpResponseRedirect(creative.link_url)


@require_GET
def slots_css(request):
    """The reserved size of every placement, as classes: pages carry no inline style.
    Versioned by the placements' digest, so it can be cached for good."""
    current = inventory()
    response = render(
        request,
        "ads/slots.css",
        {
            "sizes": reserved_sizes(current.slots.values()),
            "slots": current.slots.values(),
            "sidebar_width": sidebar_width(current.slots.values()),
        },
        content_type="text/css; charset=utf-8",
    )
    if request.GET.get("v") == current.digest:
        patch_cache_control(response, public=True, max_age=31536000, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    return response


def inventory_click_url(creative_id: int) -> str:
    """Where a creative's click goes; from memory, or the database for an ad whose
    campaign has ended since the page was read."""
    ad = inventory().ads.get(creative_id)
    if ad is not None:
        url = ad.click_url
    else:
        stored = Creative.objects.filter(pk=creative_id).values_list("click_url")
        url = stored[0][0] if stored else ""
    return url if _is_safe(url) else ""


def _is_safe(url: str, allow_path: bool = False) -> bool:
    """Only the web: never javascript:, data: or a scheme-relative //host."""
    if allow_path and url.startswith("/") and not url.startswith("//"):
        return True
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _agent(request) -> str:
    return request.headers.get("User-Agent", "")
