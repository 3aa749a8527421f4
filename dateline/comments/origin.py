"""Cross-site request forgery defence that keeps article pages cacheable.

Django's CSRF token would put a per-reader value in every article page, so the page
could no longer be the same bytes for every anonymous reader. Comment posts check
instead where the request came from: browsers send ``Origin`` (and
``Sec-Fetch-Site``) with every form POST, and a forged post from another site carries
that site's origin. Requests with neither header do not come from a browser form and
so cannot ride on a reader's browser.
"""

from urllib.parse import urlsplit

from django.conf import settings


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins(request) -> set[str]:
    own = f"{request.scheme}://{request.get_host()}".lower()
    return {own, *(origin.lower() for origin in settings.CSRF_TRUSTED_ORIGINS)}


def is_same_origin(request) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site and fetch_site not in {"same-origin", "none"}:
        return False
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin.lower() in allowed_origins(request)
    if origin == "null":
        return False
    referer = request.headers.get("Referer")
    if referer:
        return _origin_of(referer) in allowed_origins(request)
    return True
