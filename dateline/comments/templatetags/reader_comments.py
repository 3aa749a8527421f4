from django import template
from django.urls import reverse

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


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, article):
    """Count, a page of threads and the reply form, in a fixed number of queries."""
    request = context.get("request")
    params = request.GET if request else {}
    order = queries.NEWEST if params.get("corder") == queries.NEWEST else queries.OLDEST
    replying_to = _reply_target(request, article)
    form = context.get("comment_form") or CommentForm(
        initial={"parent": replying_to.pk if replying_to else None}
    )
    return {
        "request": request,
        "article": article,
        "threads": queries.thread_page(article, params.get("cpage"), order),
        "order": order,
        "comment_count": queries.published_count(article),
        "closed": comments_closed(article, site_settings(article, request)),
        "form": form,
        "replying_to": replying_to,
        "awaiting_moderation": params.get("comment") == "pending",
    }


@register.simple_tag
def comment_feed_url(article):
    return reverse("comments:feed", args=[article.pk])


register.filter("comment_html", render_comment)
