"""Keeping the inventory truthful: any change to what can be shown moves its version,
now and again when the transaction commits.

Why twice: a request that loads the inventory between the save and the commit would
cache what it read from before the change; the second move, after the commit, throws
that away. Campaigns save their placements and targets after their own row, so the
admin's "after save" hooks (``wagtail_hooks.py``) call this once more at the end.

Placements, the house ad and sponsorships also change the pages' own HTML, so they
move the newsroom's content version, retiring the cached pages (and purge a sponsored
article from the caching proxy).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import (
    Advertiser,
    Campaign,
    CampaignPage,
    CampaignTag,
    Creative,
    HouseAd,
    Placement,
    SponsoredArticle,
)

WATCHED = [
    Placement,
    Advertiser,
    Campaign,
    CampaignPage,
    CampaignTag,
    Creative,
    HouseAd,
    SponsoredArticle,
    Campaign.placements.through,
    Campaign.target_sections.through,
]


# What changes the pages' own HTML (which slots there are, sponsored labels, whether
# a no-JavaScript fallback is worth having), and so must retire cached pages too.
# Campaigns change only what fills the slots, which is chosen per view.
IN_PAGES = [Placement, HouseAd, SponsoredArticle]


def inventory_changed(**kwargs) -> None:
    from .queries import invalidate_inventory

    invalidate_inventory()
    transaction.on_commit(invalidate_inventory)


def pages_changed(sender, instance=None, **kwargs) -> None:
    from dateline.newsroom.invalidation import content_changed

    urls = []
    if sender is SponsoredArticle:
        from dateline.newsroom.models import ArticlePage

        # The article may be going itself (the sponsorship is deleted with it).
        page = ArticlePage.objects.filter(pk=instance.page_id).first()
        urls = [page.full_url] if page is not None and page.full_url else []
    content_changed(urls)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(inventory_changed, sender=model, dispatch_uid=f"ads-{model}")
        post_delete.connect(
            inventory_changed, sender=model, dispatch_uid=f"ads-del-{model}"
        )
    for model in IN_PAGES:
        post_save.connect(pages_changed, sender=model, dispatch_uid=f"ads-page-{model}")
        post_delete.connect(
            pages_changed, sender=model, dispatch_uid=f"ads-page-del-{model}"
        )
