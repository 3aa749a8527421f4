from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from dateline.comments.digest import (
    digest_recipients,
    send_desk_digests,
    send_pending_digest,
)
from dateline.comments.models import CommentSettings


class Command(BaseCommand):
    help = (
        "E-mail the moderators a digest of the comments waiting for them, and each "
        "desk Editor the comments on their desk's stories."
    )

    def handle(self, *args, **options):
        site = Site.objects.select_related("root_page").get(is_default_site=True)
        rules = CommentSettings.for_site(site)
        if not rules.digest_enabled:
            self.stdout.write(_("Digest is off in Settings › Comments."))
            return
        recipients = digest_recipients(rules)
        editors = send_desk_digests(site)
        if not recipients and not editors:
            raise CommandError(
                _(
                    "No one to send the digest to: add recipients in Settings › "
                    "Comments or give a moderator an e-mail address."
                )
            )
        count = send_pending_digest(site)
        if editors:
            self.stdout.write(
                ngettext(
                    "Sent %(count)d desk editor the comments on their desk's stories.",
                    "Sent %(count)d desk editors the comments on their desks' stories.",
                    editors,
                )
                % {"count": editors}
            )
        if not count:
            if not editors:
                self.stdout.write(_("No pending comments; no digest sent."))
            return
        comments = ngettext(
            "%(count)d pending comment", "%(count)d pending comments", count
        ) % {"count": count}
        people = ngettext(
            "%(count)d moderator", "%(count)d moderators", len(recipients)
        ) % {"count": len(recipients)}
        self.stdout.write(
            self.style.SUCCESS(
                _("Sent a digest of %(comments)s to %(people)s.")
                % {"comments": comments, "people": people}
            )
        )
