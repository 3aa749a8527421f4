from django.db import DatabaseError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dateline.caching.backends import CacheUnavailable
from dateline.newsroom.models import ArticlePage

from . import conf
from .actions import do_confirm_reply_notifications, do_report_comment, do_unsubscribe
from .forms import CommentForm, ReportForm, make_ticket
from .models import Comment
from .notifications import read_confirm_token, read_unsubscribe_token
from .origin import is_same_origin
from .posting import CommentRefused, submit_from_request
from .ratelimit import hit


def _article(article_id):
    return get_object_or_404(ArticlePage.objects.released(), pk=article_id)


def _article_with_form(request, article, form, status, headers=None):
    """The article page again, with the reader's form as they filled it."""
    context = article.get_context(request)
    context["comment_form"] = form
    response = TemplateResponse(
        request, article.get_template(request), context, status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _forbidden_origin(request):
    return render(
        request,
        "comments/refused.html",
        {
            "message": _(
                "This comment came from another site, so it was not posted. "
                "Please post it from the article page."
            ),
        },
        status=403,
    )


def _cannot_save(request):
    """The database, or the cache that keeps the rate limits, is away: say so and
    hand the reader back what they wrote."""
    fields = {
        name: request.POST.get(name, "")
        for name in ("name", "email", "website", "body")
    }
    response = render(
        request, "comments/unavailable.html", {"fields": fields}, status=503
    )
    response["Retry-After"] = "60"
    return response


@csrf_exempt  # the Origin check below protects this form; see origin.py
@require_POST
def post_comment(request, article_id):
    """Store a comment, or show the article again with the form as it was filled."""
    if not is_same_origin(request):
        return _forbidden_origin(request)
    try:
        return _post_comment(request, article_id)
    except (DatabaseError, CacheUnavailable):
        return _cannot_save(request)


def _post_comment(request, article_id):
    article = _article(article_id)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return _article_with_form(request, article, form, status=400)
    try:
        comment = submit_from_request(request, article, form)
    except CommentRefused as refusal:
        form.add_error(None, refusal.message)
        return _article_with_form(
            request, article, form, refusal.status, refusal.headers
        )
    if comment is not None and comment.status == Comment.Status.APPROVED:
        return HttpResponseRedirect(f"{article.get_url(request)}#comment-{comment.pk}")
    return HttpResponseRedirect(
        f"{article.get_url(request)}?comment=pending#comment-status"
    )


@never_cache
@require_GET
def ticket(request):
    """A signed time for the comment form, so posting seconds later looks automated."""
    return JsonResponse({"ticket": make_ticket()})


@csrf_exempt  # same Origin check as posting
@require_http_methods(["GET", "POST"])
def report_comment(request, comment_id):
    comment = get_object_or_404(
        Comment.objects.approved().select_related("article"), pk=comment_id
    )
    article = comment.article.specific
    form = ReportForm(request.POST or None)
    context = {"comment": comment, "article": article, "form": form}
    if request.method == "POST":
        if not is_same_origin(request):
            return _forbidden_origin(request)
        try:
            wait = hit(
                "report-ip", request.META.get("REMOTE_ADDR", ""), *conf.report_rate()
            )
        except CacheUnavailable:
            form.add_error(
                None,
                _("Reports cannot be taken right now. Please try again in a minute."),
            )
            response = render(request, "comments/report.html", context, status=503)
            response["Retry-After"] = "60"
            return response
        if wait:
            form.add_error(
                None, _("You have sent many reports. Please try again later.")
            )
            response = render(request, "comments/report.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            do_report_comment(comment, **form.cleaned_data)
            return render(request, "comments/report_done.html", context)
        return render(request, "comments/report.html", context, status=400)
    return render(request, "comments/report.html", context)


@require_GET
def notify_confirm(request, token):
    data = read_confirm_token(token)
    comment = (
        data and Comment.objects.filter(pk=data.get("c"), email=data.get("e")).first()
    )
    if not comment:
        return render(request, "comments/notify.html", {"state": "invalid"}, status=400)
    do_confirm_reply_notifications(comment)
    return render(
        request, "comments/notify.html", {"state": "confirmed", "comment": comment}
    )


@csrf_exempt  # mail clients post here for one-click unsubscribe (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    email = read_unsubscribe_token(token)
    if not email:
        return render(request, "comments/notify.html", {"state": "invalid"}, status=400)
    if request.method == "POST":
        do_unsubscribe(email)
        return render(request, "comments/notify.html", {"state": "unsubscribed"})
    return render(
        request, "comments/notify.html", {"state": "unsubscribe", "token": token}
    )


def comment_feed(request, article_id):
    from .feeds import ArticleCommentsFeed

    return ArticleCommentsFeed()(request, article=_article(article_id))
