"""Ad providers: the seam between an ad slot on a page and whatever fills it."""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import AdProvider, Creative

DEFAULT_PROVIDER = "dateline.ads.backends.house.HouseAdProvider"


def get_provider() -> AdProvider:
    path = getattr(settings, "DATELINE_AD_PROVIDER", DEFAULT_PROVIDER)
    return import_string(path)()


__all__ = ["AdProvider", "Creative", "get_provider"]
