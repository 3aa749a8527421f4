from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from taggit.models import Tag
from wagtail.models import Site

from dateline.caching.tags import add_tags

from .identity import manifest
from .invalidation import SETTINGS_TAG
from .models import Author
from .paging import listing_page
from .queries import (
    articles_by_author,
    articles_tagged,
    public_authors,
    published_corrections,
)


def author_list(request):
    authors = public_authors()
    return TemplateResponse(request, "newsroom/author_list.html", {"authors": authors})


def author_detail(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    add_tags(f"author:{author.pk}")
    page = listing_page(articles_by_author(author), request.GET.get("page"))
    return TemplateResponse(
        request,
        "newsroom/author_detail.html",
        {"author": author, "articles": page},
    )


def tag_detail(request, slug):
    # A tag exists for readers while it has a released story (``released_tags``):
    # the listing's first page tells, without a query of its own.
    tag = get_object_or_404(Tag, slug=slug)
    add_tags(f"tag:{tag.slug}")
    page = listing_page(articles_tagged(tag), request.GET.get("page"))
    if not page:
        raise Http404("No released story has this tag")
    return TemplateResponse(
        request, "newsroom/tag_detail.html", {"tag": tag, "articles": page}
    )


def corrections(request):
    add_tags("front")
    page = listing_page(published_corrections(), request.GET.get("page"), per_page=50)
    return TemplateResponse(request, "newsroom/corrections.html", {"corrections": page})


def web_app_manifest(request):
    """``/manifest.webmanifest``: what a phone reads to put the site on its home
    screen, from the outlet's settings."""
    add_tags(SETTINGS_TAG)
    return JsonResponse(
        manifest(Site.find_for_request(request)),
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
