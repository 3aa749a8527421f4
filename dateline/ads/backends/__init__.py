"""Ad providers: the seam between an ad slot on a page and whatever fills it."""

from django.utils.module_loading import import_string

from .. import conf
from .base import AdProvider, Creative


def get_provider() -> AdProvider:
    return import_string(conf.provider_path())()


__all__ = ["AdProvider", "Creative", "get_provider"]
