"""From an API request body to the article editor's own form, bound.

The editor's form (the one Wagtail builds from ``ArticlePage``'s panels) is what
validates, so a write through the API meets every rule a write in the admin meets:
required fields, the section's allowed page types, unique slugs, the body's blocks
with rich text through the newsroom's sanitiser. Wagtail's v3 API flattens JSON into
the form's fields the same way (``wagtail.api.v3.form_data.build_form_data``); the
form is narrowed to the fields the request sent, so an update leaves the rest alone.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from pydantic import ValidationError as PydanticValidationError
from wagtail.admin.panels import get_form_for_model
from wagtail.api.v3.form_data import build_form_data
from wagtail.coreutils import find_available_slug
from wagtail.images import get_image_model

from dateline.newsroom.models import ArticlePage, Author

from .errors import FieldErrors

# What a malformed block value can raise while it is flattened into form fields.
_SHAPE_ERRORS = (
    ValidationError,
    PydanticValidationError,
    AttributeError,
    KeyError,
    TypeError,
    ValueError,
)


def _form_class(field_names):
    edit_handler = ArticlePage.get_edit_handler()
    options = edit_handler.get_form_options()
    options["fields"] = [name for name in options["fields"] if name in field_names]
    options["formsets"] = {
        name: formset
        for name, formset in options.get("formsets", {}).items()
        if name in field_names
    }
    return get_form_for_model(
        ArticlePage, form_class=edit_handler.base_form_class, **options
    )


def _bylines(slugs):
    found = {a.slug: a.pk for a in Author.objects.filter(slug__in=slugs)}
    missing = {
        f"authors.{i}": ["No author has this slug."]
        for i, slug in enumerate(slugs)
        if slug not in found
    }
    if missing:
        raise FieldErrors(missing)
    return [{"author": found[slug]} for slug in slugs]


def _check_body_images(blocks):
    # A draft may leave a block's image empty, as the editor may; an id that names
    # no image is a mistake the integration should hear about, not an empty block.
    wanted = {
        i: block["value"]["image"]
        for i, block in enumerate(blocks)
        if block["type"] == "image"
        and isinstance(block["value"], dict)
        and isinstance(block["value"].get("image"), int)
    }
    found = set(
        get_image_model()
        .objects.filter(pk__in=wanted.values())
        .values_list("pk", flat=True)
    )
    missing = {
        f"body.{i}.value.image": ["No image has this id."]
        for i, pk in wanted.items()
        if pk not in found
    }
    if missing:
        raise FieldErrors(missing)


def _payload(fields: dict) -> dict:
    payload = dict(fields)
    if payload.get("body"):
        _check_body_images(payload["body"])
    if "authors" in payload:
        payload["bylines"] = _bylines(payload.pop("authors"))
    if payload.get("embargo_until") is not None:
        payload["embargo_until"] = payload["embargo_until"].isoformat()
    return payload


def _bind(form_class, payload, instance, parent, user):
    try:
        data = build_form_data(form_class, payload, instance=instance)
    except _SHAPE_ERRORS as error:
        raise FieldErrors({"body": [_message(error)]}) from error
    return form_class(data=data, instance=instance, parent_page=parent, for_user=user)


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return "A block's value does not have the shape its type needs."


def new_article_form(section, fields: dict, user):
    """The editor's form for a new article under ``section`` holding ``fields``."""
    payload = _payload(fields)
    if not payload.get("slug"):
        allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
        slug = slugify(payload["title"], allow_unicode=allow_unicode) or "article"
        payload["slug"] = find_available_slug(section, slug)
    article = ArticlePage(owner=user, locale=section.locale)
    return _bind(_form_class(payload), payload, article, section, user)


def article_update_form(article, fields: dict, user):
    """The editor's form for ``article``'s latest draft, changing only ``fields``."""
    payload = _payload(fields)
    draft = article.get_latest_revision_as_object()
    return _bind(_form_class(payload), payload, draft, article.get_parent(), user)
