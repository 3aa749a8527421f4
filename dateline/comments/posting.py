"""From a valid comment form to a stored comment: closed articles, rate limits, the
honeypot, the page ticket, the spam backends and the moderation policy, in that
order."""

from django.utils.translation import gettext as _
from wagtail.models import Site

from . import conf
from .actions import do_submit_comment
from .backends import ACCEPT, HOLD, REJECT, Submission, Verdict, check_submission
from .moderation import comments_closed, needs_moderation, site_settings
from .ratelimit import hit


class CommentRefused(Exception):
    """The comment cannot be taken; ``message`` tells the reader why."""

    def __init__(self, message, status=400, headers=None):
        super().__init__(message)
        self.message, self.status, self.headers = message, status, headers or {}


def check_rate_limits(ip_address, email):
    limits = conf.rate_limits()
    for scope, value in (("ip", ip_address), ("email", email)):
        wait = hit(f"comment-{scope}", value or "", *limits[scope])
        if wait:
            raise CommentRefused(
                _(
                    "You are posting comments faster than this site allows. Please "
                    "wait %(seconds)s seconds, then send your comment again; it is "
                    "kept below."
                )
                % {"seconds": wait},
                status=429,
                headers={"Retry-After": str(wait)},
            )


def screen(submission, ticket_age):
    """The verdict of the spam backends, held when the page's ticket is missing."""
    if ticket_age is not None and ticket_age < conf.min_seconds_to_post():
        raise CommentRefused(
            _("That was quick. Please read your comment over, then send it again.")
        )
    verdict = check_submission(submission)
    if verdict.action == REJECT:
        raise CommentRefused(verdict.reason, status=403)
    if ticket_age is None and verdict.action == ACCEPT:
        return Verdict(
            HOLD, "sent without the page's ticket (no JavaScript, or a script)"
        )
    return verdict


def submit_from_request(request, article, form):
    """Store the comment in ``form``; None when it was quietly dropped as automated."""
    data = form.cleaned_data
    rules = site_settings(article, request)
    if comments_closed(article, rules):
        raise CommentRefused(_("Comments are closed on this article."), status=403)
    ip_address = request.META.get("REMOTE_ADDR") or None
    check_rate_limits(ip_address, data["email"])
    if form.is_honeypot_filled():
        return None
    submission = Submission(
        article=article,
        name=data["name"],
        email=data["email"],
        body=data["body"],
        website=data["website"],
        ip_address=ip_address,
        user_agent=request.headers.get("User-Agent", ""),
        referrer=request.headers.get("Referer", ""),
        site=Site.find_for_request(request),
    )
    verdict = screen(submission, form.ticket_age())
    comment = do_submit_comment(
        article=article,
        name=data["name"],
        email=data["email"],
        body=data["body"],
        website=data["website"],
        parent=data.get("parent"),
        notify_replies=data.get("notify_replies", False),
        ip_address=ip_address,
        user_agent=submission.user_agent,
        verdict=verdict,
        held_by_policy=needs_moderation(article, rules, data["email"]),
    )
    return comment
