"""Newsroom pages of the Wagtail admin: retracting a story with the reason kept."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actions import check_retract_article
from .models import ArticlePage


class RetractForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is this story coming down?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Please give the reason.")},
    )


def retract(request, page_id):
    article = get_object_or_404(ArticlePage, pk=page_id)
    if not article.permissions_for_user(request.user).can_unpublish():
        raise PermissionDenied
    form = RetractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check_retract_article(request.user, article, form.cleaned_data["reason"])
        messages.success(
            request, _("“%(title)s” was retracted.") % {"title": article.title}
        )
        return redirect("wagtailadmin_explore", article.get_parent().pk)
    return TemplateResponse(
        request, "newsroom/admin/retract.html", {"article": article, "form": form}
    )
