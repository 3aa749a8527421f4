"""Comments: each post's thread written in one go, parents before replies.

Imported comments skip what ``do_submit_comment`` adds for a live reader (spam
checks, reply e-mails, the submitted signal): they were moderated on the old site,
and their authors must not be e-mailed years later. They get the same fingerprint,
thread position and fields, so every later action treats them as any comment.
"""

from __future__ import annotations

import ipaddress

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from dateline.comments.actions import fingerprint, thread_position
from dateline.comments.models import Comment
from dateline.comments.text import clean_body, clean_name

from .models import ImportedItem

STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
}
PINGS = {"pingback", "trackback", "pings"}


def comment_text(source: str) -> str:
    """The plain text Dateline comments are: tags gone, paragraphs kept."""
    from .body import _fragment

    source = source.replace("\r\n", "\n")
    paragraphs = []
    for chunk in source.split("\n\n"):
        fragment = _fragment(chunk.replace("<br>", "\n").replace("<br />", "\n"))
        for element in list(fragment.iter("script", "style")):
            element.drop_tree()
        text = fragment.text_content().strip()
        if text:
            paragraphs.append(text)
    return clean_body("\n\n".join(paragraphs))[:5000]


def valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


class CommentImport:
    def __init__(self, importer):
        self.importer = importer
        self.report = importer.report

    def run(self) -> None:
        progress = self.importer.progress
        progress.start("comments", self.importer.total("comment"))
        posts = self.importer.mapping("post")
        self.content_type = ContentType.objects.get_for_model(Comment)
        for item in self.importer.items({"post"}):
            if not item.comments:
                continue
            record = posts.get(str(item.wp_id))
            if record is None:
                self.report.count("comment", "skipped", len(item.comments))
                progress.advance(len(item.comments))
                continue
            try:
                with transaction.atomic():
                    self.thread(record.object_id, item)
            except Exception as exc:  # noqa: BLE001 - the next post's thread goes on
                self.report.count("comment", "failed", len(item.comments))
                self.report.note(
                    "comment",
                    item.wp_id,
                    item.title,
                    "failed",
                    f"thread not imported: {type(exc).__name__}: {exc}",
                )
            progress.advance(len(item.comments))
        self.importer.rates["comments"] = progress.finish()

    def thread(self, article_id: int, item) -> None:
        known = {
            record.key: record.object_id
            for record in ImportedItem.objects.filter(
                source=self.importer.source,
                kind="comment",
                key__in=[str(c.wp_id) for c in item.comments],
            )
        }
        prints = set(
            Comment.objects.filter(article_id=article_id)
            .exclude(fingerprint="")
            .values_list("fingerprint", flat=True)
        )
        by_id = {
            str(pk): c for pk, c in Comment.objects.in_bulk(known.values()).items()
        }
        made = {key: by_id.get(str(pk)) for key, pk in known.items()}
        wanted = self.wanted(item)
        self.update_known(wanted, made)
        # Parents first: a level of the thread at a time, each level in one insert.
        pending = [c for c in wanted if str(c.wp_id) not in made]
        while pending:
            level = [
                c
                for c in pending
                if not c.parent_id
                or str(c.parent_id) in made
                or str(c.parent_id) not in {str(p.wp_id) for p in pending}
            ]
            self.insert(article_id, level, made, prints)
            done = {id(c) for c in level}
            pending = [c for c in pending if id(c) not in done]

    def wanted(self, item):
        comments = []
        for wp_comment in sorted(item.comments, key=lambda c: c.wp_id):
            if wp_comment.comment_type in PINGS:
                self.report.count("pingback", "skipped")
            elif wp_comment.approved in {"trash", "post-trashed"}:
                self.report.count("comment", "skipped")
            else:
                comments.append(wp_comment)
        return comments

    def update_known(self, wanted, made) -> None:
        for wp_comment in wanted:
            comment = made.get(str(wp_comment.wp_id))
            if comment is None:
                continue
            status = STATUSES.get(wp_comment.approved, Comment.Status.PENDING)
            body = comment_text(wp_comment.content)
            if (comment.status, comment.body) == (status, body):
                self.report.count("comment", "skipped")
                continue
            comment.status, comment.body = status, body or comment.body
            comment.save(update_fields=["status", "body"])
            self.report.count("comment", "updated")

    def insert(self, article_id, level, made, prints) -> None:
        rows = []
        for wp_comment in level:
            parent, depth = thread_position(made.get(str(wp_comment.parent_id)))
            body = comment_text(wp_comment.content)
            if not body:
                self.report.count("comment", "skipped")
                self.report.note(
                    "comment",
                    wp_comment.wp_id,
                    wp_comment.author,
                    "skipped",
                    "empty once its markup was removed",
                )
                continue
            email = wp_comment.email[:254]
            print_ = fingerprint(article_id, email, body)
            # The same words twice from one person stay two comments, as they were.
            print_ = "" if print_ in prints else print_
            prints.add(print_)
            rows.append(
                (
                    wp_comment,
                    Comment(
                        article_id=article_id,
                        parent=parent,
                        thread_root_id=(parent.thread_root_id or parent.pk)
                        if parent
                        else None,
                        depth=depth,
                        name=clean_name(wp_comment.author)[:100] or "Anonymous",
                        email=email,
                        website=wp_comment.url[:200]
                        if wp_comment.url.startswith(("http://", "https://"))
                        else "",
                        body=body,
                        status=STATUSES.get(
                            wp_comment.approved, Comment.Status.PENDING
                        ),
                        created_at=wp_comment.date_gmt or timezone.now(),
                        fingerprint=print_,
                        ip_address=valid_ip(wp_comment.ip),
                    ),
                )
            )
        created = Comment.objects.bulk_create([comment for _, comment in rows])
        ImportedItem.objects.bulk_create(
            ImportedItem(
                source=self.importer.source,
                kind="comment",
                key=str(wp_comment.wp_id),
                content_type=self.content_type,
                object_id=comment.pk,
            )
            for (wp_comment, _), comment in zip(rows, created, strict=True)
        )
        for (wp_comment, _), comment in zip(rows, created, strict=True):
            made[str(wp_comment.wp_id)] = comment
        self.report.count("comment", "imported", len(created))
