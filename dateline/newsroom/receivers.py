"""Invalidation for Wagtail's own models, which cannot declare ``cache_tags()``:
which site answers a host, and which pages are restricted, are kept under the
``site`` tag (site lookup, restricted paths); an image's renditions, kept in
article bodies' HTML (``body.py``), under ``image:<id>``. Our models declare their
tags and are invalidated by ``dateline.caching.receivers``."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.images.models import Rendition
from wagtail.models import PageViewRestriction, Site

from dateline.caching.tags import invalidate


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def view_restriction_changed(sender, instance, **kwargs):
    # The proxy may hold public copies of every page under the restricted one.
    pages = instance.page.get_descendants(inclusive=True).live()
    invalidate(["site", *(f"page:{pk}" for pk in pages.values_list("pk", flat=True))])


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, instance, **kwargs):
    invalidate(["site", "front"])


@receiver(post_save, sender=get_image_model())
@receiver(post_delete, sender=get_image_model())
def image_changed(sender, instance, **kwargs):
    if not kwargs.get("created"):  # nothing shows an image before it is saved
        invalidate([f"image:{instance.pk}"])


@receiver(post_delete, sender=Rendition)
def rendition_deleted(sender, instance, **kwargs):
    invalidate([f"image:{instance.image_id}"])
