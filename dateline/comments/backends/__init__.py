"""Spam checks. Each backend looks at a comment before it is stored and may hold it,
call it spam, or let it through; the strictest verdict wins."""

from django.utils.module_loading import import_string

from .. import conf
from .base import ACCEPT, HOLD, REJECT, SPAM, SpamFilter, Submission, Verdict


def get_spam_filters() -> list[SpamFilter]:
    return [import_string(path)() for path in conf.spam_backends()]


def check_submission(submission: Submission) -> Verdict:
    """Run every configured backend; the strictest verdict wins."""
    verdict = Verdict(ACCEPT)
    for spam_filter in get_spam_filters():
        found = spam_filter.check(submission)
        if found is not None and found.rank > verdict.rank:
            verdict = found
    return verdict


__all__ = [
    "ACCEPT",
    "HOLD",
    "REJECT",
    "SPAM",
    "SpamFilter",
    "Submission",
    "Verdict",
    "check_submission",
    "get_spam_filters",
]
