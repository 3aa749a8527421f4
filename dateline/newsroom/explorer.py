"""The admin's page explorer, as Wagtail's, with reads that stay small in a section of
hundreds of thousands of stories.

Wagtail's explorer (``ExplorableIndexView``) reads, on every view of a section:

* the section's children checked one by one against the pages the user may explore,
  even for a user who may explore every page (a superuser, or an editor whose
  permission covers the section);
* a count of those children, for the pagination, which reads every one of them;
* the choices of its "Owner" and "Edited by" filters as every page's owner and every
  edit in the log, made distinct.

Here the check is left out where the user may explore the whole subtree anyway (the
result is the same set), the count is the parent's ``numchild`` (which treebeard
keeps) when nothing narrows the listing, and the filter choices are the users who
own a page or edited one, each asked of the index on ``owner`` or the log. Anything
that narrows the listing (a search, a filter, a ``construct_explorer_page_queryset``
hook, a user who may explore only part of the section) takes Wagtail's own path.

Registered for every page type as the default page viewset
(``wagtail_hooks.register_explorer``); docs/newsroom.md (2026-12-03) says why.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.pages.listing import ExplorableIndexView, GenericPageFilterSet
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, PageLogEntry

# What lets a user explore a page's whole subtree in Wagtail's page permission
# policy (``explorable_instances``): any of these, granted on the page or above it.
EXPLORE_ACTIONS = ("add", "change", "publish", "lock", "unlock", "bulk_delete")


def page_owners(request):
    pages = Page.objects.filter(owner=OuterRef("pk"))
    return get_user_model().objects.filter(Exists(pages))


def page_editors(request):
    edits = PageLogEntry.objects.filter(action="wagtail.edit", user=OuterRef("pk"))
    return get_user_model().objects.filter(Exists(edits))


class ExplorerFilterSet(GenericPageFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The same users as Wagtail's choices, read user by user off an index
        # instead of as the distinct owners of every page.
        self.filters["owner"].queryset = page_owners
        self.filters["edited_by"].queryset = page_editors


class KnownCountPaginator(WagtailPaginator):
    """Wagtail's paginator with the number of items given rather than counted."""

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.count = count  # the cached_property's slot


def explores_whole_subtree(user, page, policy) -> bool:
    """Whether ``user`` may explore ``page`` and every page under it."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    codenames = {f"{action}_page" for action in EXPLORE_ACTIONS}
    return any(
        page.path.startswith(permission.page.path)
        for permission in policy.get_cached_permissions_for_user(user)
        if permission.permission.codename in codenames
    )


class ExplorerIndexView(ExplorableIndexView):
    base_filterset_class = ExplorerFilterSet
    paginator_class = KnownCountPaginator

    @cached_property
    def sees_every_child(self) -> bool:
        return explores_whole_subtree(
            self.request.user, self.parent_page, self.permission_policy
        )

    @cached_property
    def lists_every_child(self) -> bool:
        """Whether the listing is the parent's children, unnarrowed."""
        return (
            self.sees_every_child
            and not (self.is_searching or self.is_filtering)
            and not hooks.get_hooks("construct_explorer_page_queryset")
        )

    def get_base_queryset(self):
        if not self.lists_every_child:
            return super().get_base_queryset()
        # The children without Wagtail's check against every page the user may
        # explore: here that is all of them.
        return self.annotate_queryset(
            self.model._default_manager.child_of(self.parent_page)
        )

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.lists_every_child:
            kwargs["count"] = self.parent_page.numchild
        return super().get_paginator(queryset, per_page, **kwargs)


class ExplorerViewSet(PageViewSet):
    """Wagtail's page views with ``ExplorerIndexView`` as the explorer."""

    index_view_class = ExplorerIndexView
    filterset_class = ExplorerFilterSet
