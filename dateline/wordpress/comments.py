"""Comments: the threads of several posts written in one go, parents before replies.

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

from .importer import DryRunRollback
from .models import ImportedItem
from .report import Report

STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
}
PINGS = {"pingback", "trackback", "pings"}
# Comments per transaction: threads of several posts go together.
BATCH_COMMENTS = 1000


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
        batch, size = [], 0
        for item in self.importer.items({"post"}):
            if not item.comments:
                continue
            record = posts.get(str(item.wp_id))
            if record is None:
                self.report.count("comment", "skipped", len(item.comments))
                progress.advance(len(item.comments))
                continue
            batch.append((record.object_id, item))
            size += len(item.comments)
            if size >= BATCH_COMMENTS:
                self.write_batch(batch)
                batch, size = [], 0
        self.write_batch(batch)
        self.importer.rates["comments"] = progress.finish()

    def write_batch(self, threads) -> None:
        """Many posts' threads in one transaction; if that fails, each thread again
        in its own, so only the bad one is reported."""
        if not threads:
            return
        main, self.report = self.report, Report()
        try:
            with transaction.atomic():
                self.threads(threads)
        except (KeyboardInterrupt, DryRunRollback):
            raise
        except Exception:  # noqa: BLE001 - each thread goes again on its own
            self.report = main
            for article_id, item in threads:
                self.one_thread(article_id, item)
        else:
            main.merge(self.report)
            self.report = main
        self.importer.progress.advance(sum(len(item.comments) for _, item in threads))

    def one_thread(self, article_id, item) -> None:
        try:
            with transaction.atomic():
                self.threads([(article_id, item)])
        except (KeyboardInterrupt, DryRunRollback):
            raise
        except Exception as exc:  # noqa: BLE001 - the next post's thread goes on
            self.report.count("comment", "failed", len(item.comments))
            self.report.note(
                "comment",
                item.wp_id,
                item.title,
                "failed",
                f"thread not imported: {type(exc).__name__}: {exc}",
            )

    def threads(self, threads) -> None:
        """Write the threads of several posts, parents before replies: a level of
        every thread at a time, each level in one insert."""
        keys = [str(c.wp_id) for _, item in threads for c in item.comments]
        known = dict(
            ImportedItem.objects.filter(
                source=self.importer.source, kind="comment", key__in=keys
            ).values_list("key", "object_id")
        )
        existing = Comment.objects.in_bulk(known.values())
        prints: dict[int, set] = {article_id: set() for article_id, _ in threads}
        for article_id, print_ in (
            Comment.objects.filter(article_id__in=prints)
            .exclude(fingerprint="")
            .values_list("article_id", "fingerprint")
        ):
            prints[article_id].add(print_)
        todo = []
        for article_id, item in threads:
            made = {
                str(c.wp_id): existing.get(known[str(c.wp_id)])
                for c in item.comments
                if str(c.wp_id) in known
            }
            wanted = self.wanted(item)
            self.update_known(wanted, made)
            pending = [c for c in wanted if str(c.wp_id) not in made]
            todo.append((article_id, made, pending))
        while any(pending for _, _, pending in todo):
            rows = []
            for n, (article_id, made, pending) in enumerate(todo):
                waiting = {str(p.wp_id) for p in pending}
                level = [
                    c
                    for c in pending
                    if not c.parent_id
                    or str(c.parent_id) in made
                    or str(c.parent_id) not in waiting
                ]
                rows += [
                    (made, row)
                    for row in self.rows(article_id, level, made, prints[article_id])
                ]
                done = {id(c) for c in level}
                todo[n] = (article_id, made, [c for c in pending if id(c) not in done])
            self.insert(rows)

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

    def rows(self, article_id, level, made, prints):
        """(WordPress comment, unsaved Comment) for each comment of ``level``."""
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
        return rows

    def insert(self, rows) -> None:
        """Insert the comments of ``rows`` (each with its thread's ``made``) and
        their import records; each becomes a parent its replies can find."""
        created = Comment.objects.bulk_create([comment for _, (_, comment) in rows])
        ImportedItem.objects.bulk_create(
            ImportedItem(
                source=self.importer.source,
                kind="comment",
                key=str(wp_comment.wp_id),
                content_type=self.content_type,
                object_id=comment.pk,
            )
            for (_, (wp_comment, _)), comment in zip(rows, created, strict=True)
        )
        for (made, (wp_comment, _)), comment in zip(rows, created, strict=True):
            made[str(wp_comment.wp_id)] = comment
        self.report.count("comment", "imported", len(created))
