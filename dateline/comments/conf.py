"""Comment settings, read when used."""

from django.conf import settings

HOLD = "hold"
PUBLISH = "publish"


def moderation_mode() -> str:
    """``hold`` (default): every comment waits for a moderator; ``publish``: none do."""
    return getattr(settings, "DATELINE_COMMENTS_MODERATION", HOLD)
