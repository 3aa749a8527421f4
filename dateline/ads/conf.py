from django.conf import settings


def ad_after_paragraph() -> int:
    """The article paragraph after which the in-story ad slot goes (0 turns it off)."""
    return int(getattr(settings, "DATELINE_AD_AFTER_PARAGRAPH", 3))


def ad_label() -> str:
    from django.utils.translation import gettext

    return getattr(settings, "DATELINE_AD_LABEL", "") or gettext("Advertisement")
