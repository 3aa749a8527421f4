from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from dateline.newsroom.jinja import render

from .. import queries
from ..forms import CommentForm
from ..models import Comment
from ..moderation import comments_closed, site_settings
from ..text import render_comment

register = template.Library()


def _reply_target(request, article):
    raw = request.GET.get("replytocom", "") if request else ""
    if not raw.isdigit():
        return None
    return Comment.objects.approved().filter(pk=int(raw), article_id=article.pk).first()


@register.simple_tag(takes_context=True)
def comment_section(context, article):
    """Count, a page of threads and the reply form, in a fixed number of queries.
    Rendered on every view of a kept page, by Jinja2 (``newsroom.jinja``)."""
    request = context.get("request")
    params = request.GET if request else {}
    order = queries.NEWEST if params.get("corder") == queries.NEWEST else queries.OLDEST
    replying_to = _reply_target(request, article)
    form = context.get("comment_form")
    if form is None and replying_to is None:
        fields = blank_fields()
    else:
        form = form or CommentForm(initial={"parent": getattr(replying_to, "pk", None)})
        fields = render_to_string("comments/form_fields.html", {"form": form})
    return render(
        "comments/section.html",
        {
            "article": article,
            "threads": queries.thread_page(article, params.get("cpage"), order),
            "order": order,
            "comment_count": queries.published_count(article),
            "closed": comments_closed(article, site_settings(article, request)),
            "form": form,
            "fields": fields,
            "replying_to": replying_to,
            "awaiting_moderation": params.get("comment") == "pending",
        },
    )


def blank_fields():
    """The fields of the form as a reader first sees it, the same on every article:
    rendered once per language in each process, rather than widget by widget on
    every view. Rendered afresh while developing, where templates change."""
    if settings.DEBUG:
        return _render_blank_fields.__wrapped__(get_language())
    return _render_blank_fields(get_language())


@lru_cache(maxsize=32)
def _render_blank_fields(language):
    html = render_to_string("comments/form_fields.html", {"form": CommentForm()})
    return mark_safe(html)  # noqa: S308 - rendered by a template


@register.simple_tag
def comment_feed_url(article):
    return reverse("comments:feed", args=[article.pk])


register.filter("comment_html", render_comment)
