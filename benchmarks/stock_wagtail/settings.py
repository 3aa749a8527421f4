"""The production settings without the project's page-serving shortcuts: Wagtail
looks the site up in the database on every request, and the ``stock_wagtail`` app
puts Wagtail's own routing, view-restriction lookup and serving (the template
rendered in full on every view) back on the page models."""

from django.core.exceptions import ImproperlyConfigured

from dateline.site.settings.production import *  # noqa: F403
from dateline.site.settings.production import INSTALLED_APPS, MIDDLEWARE

CACHED_SITE = "dateline.site.sites.CachedSiteMiddleware"

# A renamed middleware would otherwise stay in, and the reference would not be stock.
if CACHED_SITE not in MIDDLEWARE:
    raise ImproperlyConfigured(f"{CACHED_SITE} is not in MIDDLEWARE any more")

MIDDLEWARE = [name for name in MIDDLEWARE if name != CACHED_SITE]
INSTALLED_APPS = [*INSTALLED_APPS, "stock_wagtail.apps.StockWagtailConfig"]
