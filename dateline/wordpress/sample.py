"""A synthetic WordPress export of any size, for benchmarks and big-import tests.

Varied bodies (Gutenberg and classic, with images, quotes, lists, shortcodes),
a category tree, tags, attachments written as real files into an uploads folder,
and comment threads with every status. Everything is made up from a small word list.
"""

from __future__ import annotations

import random
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image as PILImage

WORDS = (
    "valley council river ferry market school bridge harbour festival rain budget "
    "mill lantern quay station library farmers survey hospital court road tunnel "
    "clinic teachers power grid orchard cotton wheat railway crossing flood"
).split()
HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Sample Gazette</title><link>{base}</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{base}</wp:base_site_url>
<wp:base_blog_url>{base}</wp:base_blog_url>
"""


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


class SampleExport:
    def __init__(
        self,
        posts=100,
        comments=500,
        attachments=None,
        seed=7,
        base="https://sample.example",
    ):
        self.random = random.Random(seed)  # noqa: S311 - sample text, not security
        self.posts, self.comments = posts, comments
        self.attachments = (
            attachments if attachments is not None else max(1, posts // 10)
        )
        self.base = base
        self.comment_id = 100000

    def words(self, low, high) -> str:
        return " ".join(self.random.choices(WORDS, k=self.random.randint(low, high)))

    def sentence(self) -> str:
        return self.words(8, 18).capitalize() + "."

    def write(self, path: Path, uploads: Path | None = None) -> Path:
        """Write the export to ``path`` and the attachments' files under ``uploads``."""
        with Path(path).open("w", encoding="utf-8") as out:
            out.write(HEADER.format(base=self.base))
            self.write_terms(out)
            self.write_attachments(out, uploads)
            per_post = self.comments / self.posts if self.posts else 0
            owed = 0.0
            for n in range(1, self.posts + 1):
                owed += per_post
                count = int(owed)
                owed -= count
                out.write(self.post(n, count))
            out.write("</channel></rss>\n")
        return Path(path)

    def write_terms(self, out) -> None:
        for n in range(1, 6):
            out.write(
                f"<wp:author><wp:author_login>{cdata(f'writer{n}')}</wp:author_login>"
                f"<wp:author_email>{cdata(f'writer{n}@sample.example')}</wp:author_email>"
                f"<wp:author_display_name>{cdata(f'Writer {n}')}"
                "</wp:author_display_name></wp:author>\n"
            )
        for n in range(1, 9):
            parent = "" if n <= 4 else f"section-{n - 4}"
            out.write(
                f"<wp:category><wp:category_nicename>section-{n}</wp:category_nicename>"
                f"<wp:category_parent>{parent}</wp:category_parent>"
                f"<wp:cat_name>{cdata(f'Section {n}')}</wp:cat_name></wp:category>\n"
            )
        for n in range(1, 31):
            out.write(
                f"<wp:tag><wp:tag_slug>topic-{n}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(f'Topic {n}')}</wp:tag_name></wp:tag>\n"
            )

    def write_attachments(self, out, uploads: Path | None) -> None:
        if uploads is not None:
            (uploads / "2025" / "01").mkdir(parents=True, exist_ok=True)
        for n in range(1, self.attachments + 1):
            name = f"2025/01/photo-{n}.jpg"
            if uploads is not None:
                buffer = BytesIO()
                colour = (n * 7 % 256, n * 13 % 256, n * 29 % 256)
                PILImage.new("RGB", (320, 200), colour).save(buffer, format="JPEG")
                (uploads / name).write_bytes(buffer.getvalue())
            out.write(
                f"<item><title>Photo {n}</title><link>{self.base}/photo-{n}/</link>"
                f"<guid>{self.base}/wp-content/uploads/{name}</guid>"
                f"<excerpt:encoded>{cdata(self.sentence())}</excerpt:encoded>"
                f"<wp:post_id>{n}</wp:post_id><wp:post_type>attachment</wp:post_type>"
                "<wp:status>inherit</wp:status>"
                f"<wp:attachment_url>{self.base}/wp-content/uploads/{name}"
                "</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attached_file"
                f"</wp:meta_key><wp:meta_value>{name}</wp:meta_value></wp:postmeta>"
                "</item>\n"
            )

    def body(self, gutenberg: bool) -> str:
        parts = []
        for i in range(self.random.randint(4, 10)):
            kind = self.random.random()
            if gutenberg:
                parts.append(self.gutenberg_block(kind, i))
            else:
                parts.append(self.classic_part(kind, i))
        return "\n\n".join(parts)

    def image_number(self) -> int:
        return self.random.randint(1, self.attachments)

    def gutenberg_block(self, kind, i) -> str:
        if kind < 0.1 and self.attachments:
            n = self.image_number()
            return (
                f'<!-- wp:image {{"id":{n}}} --><figure class="wp-block-image"><img '
                f'src="{self.base}/wp-content/uploads/2025/01/photo-{n}.jpg" '
                f'class="wp-image-{n}"/></figure><!-- /wp:image -->'
            )
        if kind < 0.18:
            return f"<!-- wp:heading --><h2>{self.words(3, 6)}</h2><!-- /wp:heading -->"
        if kind < 0.25:
            return (
                '<!-- wp:quote --><blockquote class="wp-block-quote"><p>'
                f"{self.sentence()}</p><cite>{self.words(2, 3)}</cite></blockquote>"
                "<!-- /wp:quote -->"
            )
        if kind < 0.3:
            items = "".join(f"<li>{self.words(3, 7)}</li>" for _ in range(3))
            return f"<!-- wp:list --><ul>{items}</ul><!-- /wp:list -->"
        text = " ".join(self.sentence() for _ in range(self.random.randint(2, 5)))
        return f"<!-- wp:paragraph --><p>{text}</p><!-- /wp:paragraph -->"

    def classic_part(self, kind, i) -> str:
        if kind < 0.08 and self.attachments:
            n = self.image_number()
            return (
                f'[caption id="attachment_{n}"]<img src="{self.base}/wp-content/'
                f'uploads/2025/01/photo-{n}-300x200.jpg" class="wp-image-{n}" /> '
                f"{self.words(3, 6)}[/caption]"
            )
        if kind < 0.12:
            return f"<h3>{self.words(3, 6)}</h3>"
        lines = [self.sentence() for _ in range(self.random.randint(1, 3))]
        return "\n".join(lines)

    def post(self, n: int, comment_count: int) -> str:
        wp_id = 10000 + n
        day = 1 + n % 28
        month = 1 + n % 12
        slug = f"{'-'.join(self.words(3, 6).split())}-{n}"
        status = self.random.choices(
            ["publish", "draft", "pending", "future", "private"], [90, 4, 2, 2, 2]
        )[0]
        date = f"2025-{month:02d}-{day:02d} 08:00:00"
        if status == "future":
            date = f"2099-{month:02d}-{day:02d} 08:00:00"
        cats = self.random.sample(range(1, 9), self.random.randint(1, 2))
        tags = self.random.sample(range(1, 31), self.random.randint(0, 3))
        terms = "".join(
            f'<category domain="category" nicename="section-{c}">'
            f"{cdata(f'Section {c}')}</category>"
            for c in cats
        ) + "".join(
            f'<category domain="post_tag" nicename="topic-{t}">'
            f"{cdata(f'Topic {t}')}</category>"
            for t in tags
        )
        thumbnail = (
            "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
            f"<wp:meta_value>{self.image_number()}</wp:meta_value></wp:postmeta>"
            if self.attachments and self.random.random() < 0.5
            else ""
        )
        title = escape(self.words(4, 9).capitalize())
        return (
            f"<item><title>{title}</title>"
            f"<link>{self.base}/2025/{month:02d}/{day:02d}/{slug}/</link>"
            f"<dc:creator>writer{1 + n % 5}</dc:creator>"
            f'<guid isPermaLink="false">{self.base}/?p={wp_id}</guid>'
            f"<content:encoded>{cdata(self.body(n % 2 == 0))}</content:encoded>"
            f"<excerpt:encoded>{cdata(self.sentence())}</excerpt:encoded>"
            f"<wp:post_id>{wp_id}</wp:post_id>"
            f"<wp:post_date_gmt>{date}</wp:post_date_gmt>"
            f"<wp:post_modified_gmt>{date}</wp:post_modified_gmt>"
            f"<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>"
            "<wp:post_type>post</wp:post_type>"
            f"<wp:is_sticky>{1 if n == 1 else 0}</wp:is_sticky>"
            f"{terms}{thumbnail}{self.thread(comment_count)}</item>\n"
        )

    def thread(self, count: int) -> str:
        made, parts = [], []
        for _ in range(count):
            self.comment_id += 1
            parent = (
                self.random.choice(made) if made and self.random.random() < 0.4 else 0
            )
            made.append(self.comment_id)
            approved = self.random.choices(["1", "0", "spam", "trash"], [85, 8, 5, 2])[
                0
            ]
            parts.append(
                f"<wp:comment><wp:comment_id>{self.comment_id}</wp:comment_id>"
                f"<wp:comment_author>Reader {self.comment_id % 997}</wp:comment_author>"
                "<wp:comment_author_email>reader"
                f"{self.comment_id % 997}@readers.example</wp:comment_author_email>"
                "<wp:comment_author_IP>203.0.113.5</wp:comment_author_IP>"
                "<wp:comment_date_gmt>2025-06-01 10:00:00</wp:comment_date_gmt>"
                f"<wp:comment_content>{cdata(self.sentence())}</wp:comment_content>"
                f"<wp:comment_approved>{approved}</wp:comment_approved>"
                f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
            )
        return "".join(parts)
