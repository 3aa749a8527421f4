"""System checks of the newsroom's configuration in the database."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


# Tagged ``database``: Django runs it only where a database is asked for (``check
# --database default``, ``migrate``), so a plain ``check`` needs no database.
@register(Tags.database)
def check_site_address(app_configs=None, databases=None, **kwargs):
    """Warn while a production site's address is still Wagtail's ``localhost``:
    canonical links, feeds, sitemaps and e-mails would all point there."""
    if settings.DEBUG or not databases:
        return []
    from wagtail.models import Site

    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:  # not migrated yet: nothing to look at
        return []
    if site is None or site.hostname != "localhost":
        return []
    return [
        Warning(
            "The default site's address is still localhost: canonical links, "
            "feeds, sitemaps and e-mails would point at it.",
            hint="Set it with 'dateline site_address <host> <port>' or in "
            "Settings › Sites.",
            obj=site,
            id="dateline.W001",
        )
    ]
