from django import template

from ..forms import CommentForm
from ..models import Comment

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, article):
    """Count, published comments and reply form: one query, however many comments."""
    request = context.get("request")
    comments = list(Comment.objects.approved().for_article(article))
    return {
        "request": request,
        "article": article,
        "comments": comments,
        "comment_count": len(comments),
        "form": context.get("comment_form") or CommentForm(),
        "awaiting_moderation": bool(
            request and request.GET.get("comment") == "pending"
        ),
    }
