"""The built-in checks: the site's rules in Settings › Comments, and bans."""

import ipaddress

import regex
from django.utils.translation import gettext as _

from ..models import CommenterBan, CommentSettings
from .base import HOLD, REJECT, SPAM, SpamFilter, Verdict

_LINK = regex.compile(r"(?i)\b(?:https?://|www\.)")


class RulesFilter(SpamFilter):
    def check(self, submission):
        rules = CommentSettings.for_site(submission.site)
        email = submission.email.lower()
        # A banned commenter is refused, not held: nothing of theirs is stored.
        bans = CommenterBan.objects.active().matching(
            email=email, ip_address=submission.ip_address, name=submission.name
        )
        if bans:
            return Verdict(REJECT, _("You can no longer comment on this site."))
        if self.blocked_sender(rules, email, submission.ip_address):
            return Verdict(SPAM, "blocked e-mail, domain or IP address")
        text = f"{submission.name}\n{submission.body}\n{submission.website}".lower()
        if word := self.first_word(rules.lines(rules.blocked_words), text):
            return Verdict(SPAM, f"blocked word: {word}")
        if word := self.first_word(rules.lines(rules.held_words), text):
            return Verdict(HOLD, f"held word: {word}")
        links = len(_LINK.findall(submission.body))
        if links > rules.max_links:
            return Verdict(HOLD, f"{links} links")
        return None

    def blocked_sender(self, rules, email, ip_address):
        domain = email.rpartition("@")[2]
        for entry in rules.lines(rules.blocked_emails):
            if entry == email or entry.lstrip("@") == domain:
                return True
        return bool(ip_address) and self.ip_blocked(
            rules.lines(rules.blocked_ips), ip_address
        )

    @staticmethod
    def ip_blocked(entries, ip_address):
        address = ipaddress.ip_address(ip_address)
        for entry in entries:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue  # a typo in the list must not stop comments
        return False

    @staticmethod
    def first_word(words, text):
        for word in words:
            if regex.search(rf"(?<!\w){regex.escape(word)}(?!\w)", text):
                return word
        return None
