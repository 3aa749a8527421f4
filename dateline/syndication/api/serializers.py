"""From models to the API's JSON. Each function shapes one kind of object; no e-mail
address is ever written (authors are names, titles and author pages)."""

from django.urls import reverse

from dateline.newsroom.blocks import sanitise_rich_text

from ..links import absolute
from ..text import iso_datetime

LEAD_IMAGE_SPECS = ["fill-1200x675", "fill-1200x900", "fill-1200x1200", "width-600"]
BODY_IMAGE_SPECS = ["width-1200", "width-600"]


def image(request, picture, specs):
    """An image as its renditions' absolute URLs and sizes, with its alt text."""
    if picture is None:
        return None
    renditions = picture.get_renditions(*specs)
    first = next(iter(renditions.values()))
    return {
        "alt": first.alt,
        "renditions": {
            spec: {
                "url": absolute(request, rendition.url),
                "width": rendition.width,
                "height": rendition.height,
            }
            for spec, rendition in renditions.items()
        },
    }


def author(request, person):
    return {
        "name": person.name,
        "slug": person.slug,
        "title": person.job_title,
        "url": absolute(request, person.get_absolute_url()),
    }


def section(request, page):
    if page is None:
        return None
    return {
        "id": page.pk,
        "title": page.title,
        "slug": page.slug,
        "url": page.get_full_url(request),
    }


def tag(request, item):
    url = reverse("newsroom:tag", args=[item.slug])
    return {"name": item.name, "slug": item.slug, "url": absolute(request, url)}


def article_summary(request, article):
    """What a list item shows."""
    return {
        "id": article.pk,
        "title": article.title,
        "standfirst": article.standfirst,
        "url": article.get_full_url(request),
        "api_url": absolute(
            request, reverse("syndication:api_v1:article", args=[article.pk])
        ),
        "language": article.language,
        "first_published_at": iso_datetime(article.first_published_at),
        "last_published_at": iso_datetime(article.last_published_at),
        "section": section(request, article.section),
        "authors": [author(request, byline.author) for byline in article.bylines.all()],
        "tags": [tag(request, item) for item in _sorted_tags(article)],
    }


def article_detail(request, article, outlet_name):
    """Everything the article page shows, as data."""
    return {
        **article_summary(request, article),
        "dateline": article.dateline(outlet_name),
        "reading_minutes": article.reading_minutes,
        "lead_image": image(request, article.lead_image, LEAD_IMAGE_SPECS),
        "body_html": body_html(article),
        "body": [block_data(request, block) for block in article.body],
        "corrections": [correction(item) for item in article.corrections.all()],
    }


def correction(item):
    return {
        "kind": item.kind,
        "text": item.text,
        "published_at": iso_datetime(item.published_at),
    }


def body_html(article):
    return "".join(str(block) for block in article.body)


def block_data(request, block):
    """One body block as ``{"type": ..., "value": ...}``."""
    shape = BLOCK_SHAPES.get(block.block_type)
    if shape is None:
        value = block.block.get_api_representation(block.value)
    else:
        value = shape(request, block.value)
    return {"type": block.block_type, "value": value}


def _paragraph(request, value):
    # Links to pages are stored as ids: expanded to real URLs, then cleaned again.
    return sanitise_rich_text(value.__html__())


def _text(request, value):
    return str(value)


def _quote(request, value):
    return {"quote": value["quote"], "attribution": value["attribution"]}


def _pullquote(request, value):
    return {"text": value["text"], "attribution": value["attribution"]}


def _image(request, value):
    return {
        "image": image(request, value["image"], BODY_IMAGE_SPECS),
        "caption": value["caption"],
        "credit": value["credit"],
    }


def _embed(request, value):
    return {"url": value["url"], "title": value["title"], "caption": value["caption"]}


BLOCK_SHAPES = {
    "paragraph": _paragraph,
    "subheading": _text,
    "blockquote": _quote,
    "pullquote": _pullquote,
    "image": _image,
    "embed": _embed,
}


def _sorted_tags(article):
    return sorted(article.tags.all(), key=lambda item: item.name.casefold())


def draft(request, article):
    """An article's latest draft as an integration wrote it (fields, not HTML)."""
    latest = article.get_latest_revision_as_object()
    revision = article.get_latest_revision()
    return {
        "id": article.pk,
        "title": latest.title,
        "slug": latest.slug,
        "status": str(article.status_string),
        "live": article.live,
        "has_unpublished_changes": article.has_unpublished_changes,
        "section": article.section_id or article.get_parent().pk,
        "standfirst": latest.standfirst,
        "dateline_place": latest.dateline_place,
        "additional_reporting": latest.additional_reporting,
        "language": latest.language,
        "embargo_until": iso_datetime(latest.embargo_until),
        "authors": [byline.author.slug for byline in latest.bylines.all()],
        "tags": sorted((tag.name for tag in latest.tags.all()), key=str.casefold),
        "lead_image": latest.lead_image_id,
        "body": list(latest.body.get_prep_value()),
        "revision_id": revision.pk if revision else None,
        "admin_url": absolute(
            request, reverse("wagtailadmin_pages:edit", args=[article.pk])
        ),
    }


def uploaded_image(picture):
    return {
        "id": picture.pk,
        "title": picture.title,
        "width": picture.width,
        "height": picture.height,
        "file_size": picture.file_size,
    }
