"""The live desk: a Wagtail admin screen where reporters post, edit, pin, approve and
delete a live page's entries without publishing the page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions
from .forms import EntryForm
from .models import Coverage, LiveEntry, LivePage

DESK_PAGE_SIZE = 30


def desk(request, page_id):
    page = _page_for(request.user, page_id)
    form = EntryForm(request.POST or None, initial=_initial(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            entry = actions.check_post_entry(
                request.user,
                page,
                breaking=form.cleaned_data["breaking"],
                **form.entry_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _posted_message(entry))
            return redirect("dateline_live_desk", page.pk)
    return _render_desk(request, page, form)


def edit_entry(request, page_id, entry_id):
    page = _page_for(request.user, page_id)
    entry = get_object_or_404(LiveEntry, pk=entry_id, page=page)
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        fields = form.entry_fields()
        entry.refresh_from_db()  # the form changed the instance it was given
        actions.check_edit_entry(request.user, entry, **fields)
        messages.success(request, _("The entry was updated."))
        return redirect("dateline_live_desk", page.pk)
    context = {"page": page, "entry": entry, "form": form}
    return TemplateResponse(request, "live/admin/edit_entry.html", context)


ENTRY_VERBS = {
    "pin": lambda user, entry: actions.check_pin_entry(user, entry, True),
    "unpin": lambda user, entry: actions.check_pin_entry(user, entry, False),
    "approve": actions.check_approve_entry,
    "delete": actions.check_delete_entry,
}


@require_POST
def entry_action(request, page_id, entry_id, verb):
    page = _page_for(request.user, page_id)
    entry = get_object_or_404(LiveEntry, pk=entry_id, page=page)
    if verb not in ENTRY_VERBS:
        raise PermissionDenied
    ENTRY_VERBS[verb](request.user, entry)
    messages.success(request, _("Done."))
    return redirect("dateline_live_desk", page.pk)


@require_POST
def coverage(request, page_id):
    page = _page_for(request.user, page_id)
    state = request.POST.get("state")
    if state not in (Coverage.LIVE, Coverage.ENDED):
        raise PermissionDenied
    actions.check_set_coverage(request.user, page, state)
    return redirect("dateline_live_desk", page.pk)


def _page_for(user, page_id) -> LivePage:
    page = get_object_or_404(LivePage, pk=page_id)
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    return page


def _initial(user) -> dict:
    author = getattr(user, "author_profile", None)
    return {"author": author.pk} if author else {}


def _posted_message(entry) -> str:
    if entry.approved:
        return _("The entry is live.")
    return _("The entry waits for an editor's approval.")


def _render_desk(request, page, form):
    entries = page.entries.select_related("author").order_by("-pk")
    listing = Paginator(entries, DESK_PAGE_SIZE).get_page(request.GET.get("p"))
    permissions = page.permissions_for_user(request.user)
    context = {
        "page": page,
        "form": form,
        "entries": listing,
        "can_publish": permissions.can_publish(),
        "state": page.coverage_state(),
    }
    return TemplateResponse(request, "live/admin/desk.html", context)
