from dataclasses import dataclass, field

ACCEPT, HOLD, SPAM, REJECT = "accept", "hold", "spam", "reject"
_RANK = {ACCEPT: 0, HOLD: 1, SPAM: 2, REJECT: 3}


@dataclass(frozen=True)
class Verdict:
    """``hold``: a moderator decides; ``spam``: stored in the spam queue unseen;
    ``reject``: not stored, the reader is told why (``reason`` is shown to them)."""

    action: str
    reason: str = ""

    @property
    def rank(self) -> int:
        return _RANK[self.action]


@dataclass
class Submission:
    """What a reader sent and what we know of the request, before anything is stored."""

    article: object
    name: str
    email: str
    body: str
    website: str = ""
    ip_address: str | None = None
    user_agent: str = ""
    referrer: str = ""
    site: object = None
    extra: dict = field(default_factory=dict)


class SpamFilter:
    """Subclass and override ``check``; list the class in
    ``DATELINE_COMMENTS_SPAM_BACKENDS``."""

    def check(self, submission: Submission) -> Verdict | None:
        """A verdict on ``submission``, or None for no opinion."""
        return None
