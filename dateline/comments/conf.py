"""Comment settings from Django settings, read when used. Site-editable ones live in
``CommentSettings`` (Settings › Comments in the admin)."""

from django.conf import settings

DEFAULT_SPAM_BACKENDS = ["dateline.comments.backends.rules.RulesFilter"]


def _get(name, default):
    return getattr(settings, name, default)


def max_depth() -> int:
    """How deep replies nest; a reply to the deepest level joins that level."""
    return int(_get("DATELINE_COMMENTS_MAX_DEPTH", 3))


def per_page() -> int:
    return int(_get("DATELINE_COMMENTS_PER_PAGE", 50))


def spam_backends() -> list[str]:
    return list(_get("DATELINE_COMMENTS_SPAM_BACKENDS", DEFAULT_SPAM_BACKENDS))


def rate_limits() -> dict[str, tuple[int, int]]:
    """Posts allowed per (count, seconds), per IP address and per e-mail address."""
    return {
        "ip": tuple(_get("DATELINE_COMMENTS_RATE_PER_IP", (5, 60))),
        "email": tuple(_get("DATELINE_COMMENTS_RATE_PER_EMAIL", (10, 3600))),
    }


def min_seconds_to_post() -> int:
    """Fewer seconds than this between opening the page and posting looks automated."""
    return int(_get("DATELINE_COMMENTS_MIN_SECONDS", 3))


def ip_retention_days() -> int:
    return int(_get("DATELINE_COMMENTS_IP_RETENTION_DAYS", 30))


def akismet_key() -> str:
    return _get("DATELINE_AKISMET_KEY", "")


def report_rate() -> tuple[int, int]:
    """Reports allowed per IP address: (count, seconds)."""
    return tuple(_get("DATELINE_COMMENTS_REPORT_RATE", (10, 3600)))
