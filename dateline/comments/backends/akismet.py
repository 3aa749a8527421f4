"""Akismet, for outlets that hold a key: add
``"dateline.comments.backends.akismet.AkismetFilter"`` to
``DATELINE_COMMENTS_SPAM_BACKENDS`` and set ``DATELINE_AKISMET_KEY``.

Sends the comment, the commenter's name, e-mail and IP address to Akismet, a third
party: the outlet's privacy notice must say so. Off by default."""

import logging

from dateline.newsroom import addresses

from .. import conf
from .base import SPAM, SpamFilter, Verdict

logger = logging.getLogger(__name__)


class AkismetFilter(SpamFilter):
    def client(self):
        import akismet

        return akismet.SyncClient(
            config=akismet.Config(
                key=conf.akismet_key(), url=addresses.root_url() + "/"
            )
        )

    def check(self, submission):
        if not conf.akismet_key():
            return None
        try:
            is_spam = self.client().comment_check(
                user_ip=submission.ip_address or "",
                comment_type="comment",
                comment_author=submission.name,
                comment_author_email=submission.email,
                comment_author_url=submission.website,
                comment_content=submission.body,
                user_agent=submission.user_agent,
                referrer=submission.referrer,
            )
        except Exception:  # a network failure must not lose the reader's comment
            logger.warning(
                "Akismet check failed; comment goes to moderation", exc_info=True
            )
            return None
        return Verdict(SPAM, "Akismet") if is_spam else None
