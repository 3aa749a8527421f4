"""Build newsroom data for tests through the real actions."""

import itertools
from io import BytesIO

from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site

from dateline.comments.actions import do_moderate_comment, do_submit_comment
from dateline.comments.models import Comment
from dateline.newsroom.actions import do_create_article, do_publish_article
from dateline.newsroom.models import Author, HomePage, SectionPage

_counter = itertools.count(1)

WORDS = (
    "council water budget rain city market river school station report hospital "
    "farmers valley bridge festival court harbour library engineers survey"
).split()


def words(n: int, offset: int = 0) -> str:
    return " ".join(WORDS[(i + offset) % len(WORDS)] for i in range(n))


def home_page() -> HomePage:
    return HomePage.objects.get(pk=Site.objects.get(is_default_site=True).root_page_id)


def make_section(title="World", slug=None) -> SectionPage:
    section = SectionPage(title=title, slug=slug or slugify(title))
    home_page().add_child(instance=section)
    section.save_revision().publish()
    return section


def make_author(name=None, **fields) -> Author:
    name = name or f"Reporter {next(_counter)}"
    fields.setdefault("email", f"{slugify(name)}@newsroom.example")
    return Author.objects.create(
        name=name, slug=fields.pop("slug", slugify(name)), **fields
    )


def make_image(title="Picture", size=(1200, 800), colour=(40, 90, 140)):
    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="JPEG")
    image = get_image_model()(title=title, description=title)
    image.file = ImageFile(buffer, name="test.jpg")
    image.save()
    return image


def paragraph_blocks(count=4, words_each=30):
    return [
        {"type": "paragraph", "value": f"<p>{words(words_each, i)}</p>"}
        for i in range(count)
    ]


def make_article(
    section=None, *, title=None, authors=None, body=None, publish=True, **fields
):
    """A published article with one author and four paragraphs unless told otherwise."""
    number = next(_counter)
    section = section or SectionPage.objects.first() or make_section()
    title = title or f"Story number {number}"
    fields.setdefault("slug", f"{slugify(title)}-{number}")
    fields.setdefault("dateline_place", "Islamabad")
    article = do_create_article(
        section,
        authors=authors or [make_author()],
        title=title,
        body=body if body is not None else paragraph_blocks(),
        **fields,
    )
    if publish:
        article = do_publish_article(article)
    return article


def make_comment(article, *, approved=True, **fields) -> Comment:
    number = next(_counter)
    fields.setdefault("name", f"Reader {number}")
    fields.setdefault("email", f"reader{number}@readers.example")
    fields.setdefault("body", f"A thoughtful comment, number {number}.")
    comment = do_submit_comment(article=article, **fields)
    if approved:
        do_moderate_comment(comment, "approve")
    return comment


def make_live_page(section=None, *, title=None, authors=None, publish=True, **fields):
    """A published live page, coverage going on, with one author and no entries."""
    from dateline.live.actions import do_create_live_page

    number = next(_counter)
    section = section or SectionPage.objects.first() or make_section()
    title = title or f"Live: story number {number}"
    fields.setdefault("slug", f"{slugify(title)}-{number}")
    fields.setdefault("dateline_place", "Islamabad")
    fields.setdefault("standfirst", "Follow the latest as it happens.")
    page = do_create_live_page(
        section, authors=authors or [make_author()], title=title, **fields
    )
    if publish:
        page = do_publish_article(page)
    return page
