"""The outlet as browsers and phones see it: its icons and its web app manifest.

The icon is a Wagtail image chosen in the outlet's settings; the browser wants it at
a few fixed sizes, which are renditions made once and kept with the settings'
cache tag. Without one, the favicon bundled in ``site/public`` stands in. The
manifest (``/manifest.webmanifest``) is what a phone reads when a reader adds the
site to the home screen: names, icons and the theme colour, all from the settings.
"""

from django.utils.translation import gettext as _

from dateline.caching.tags import cached

from .invalidation import SETTINGS_TAG
from .models import OutletSettings

FALLBACK_ICON = "/favicon.ico"
# Sizes asked for by browsers (the tab), iOS (the home screen) and the manifest.
SIZES = {"tab": 32, "touch": 180, "app": 192, "splash": 512}


def icon_urls(site) -> dict[str, str]:
    """The outlet's icon at each of ``SIZES``, by name; empty without an icon."""

    def build():
        outlet = OutletSettings.for_site(site)
        icon = outlet.icon if outlet.icon_id else None
        if icon is None:
            return {}
        return {
            name: icon.get_rendition(f"fill-{size}x{size}|format-png").url
            for name, size in SIZES.items()
        }

    return cached(f"site-icons:{getattr(site, 'pk', 0)}", build, [SETTINGS_TAG])


def manifest(site) -> dict:
    """The web app manifest of ``site``'s outlet."""
    outlet = OutletSettings.for_site(site)
    urls = icon_urls(site)
    if urls:
        icons = [
            {"src": urls[name], "sizes": f"{size}x{size}", "type": "image/png"}
            for name, size in SIZES.items()
            if name in ("app", "splash")
        ]
    else:
        icons = [
            {"src": FALLBACK_ICON, "sizes": "16x16 32x32 48x48", "type": "image/x-icon"}
        ]
    return {
        "name": outlet.name,
        "short_name": outlet.home_screen_name,
        "description": outlet.tagline
        or _("News from %(name)s") % {"name": outlet.name},
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": outlet.theme_colour,
        "background_color": "#ffffff",
        "icons": icons,
    }
