from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from dateline.newsroom.models import ArticlePage

from .actions import do_submit_comment
from .forms import CommentForm
from .models import Comment


@require_POST
def post_comment(request, article_id):
    """Store a comment, or show the article again with the form as it was filled."""
    article = get_object_or_404(ArticlePage.objects.live().public(), pk=article_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        context = article.get_context(request)
        context["comment_form"] = form
        return TemplateResponse(
            request, article.get_template(request), context, status=400
        )
    comment = do_submit_comment(
        article=article,
        **form.cleaned_data,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("User-Agent", ""),
    )
    if comment.status == Comment.Status.APPROVED:
        return HttpResponseRedirect(f"{article.get_url(request)}#comment-{comment.pk}")
    return HttpResponseRedirect(
        f"{article.get_url(request)}?comment=pending#comment-status"
    )
