from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished

from .invalidation import common_urls, content_changed, urls_for_article
from .models import ArticlePage, Author


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    page = instance.specific
    if isinstance(page, ArticlePage):
        content_changed(urls_for_article(page))
    else:
        content_changed([page.full_url, *common_urls(page.get_site())])


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def site_wide_change(sender, instance, **kwargs):
    site = getattr(instance, "site", None)
    content_changed(common_urls(site))


@receiver(post_save)
def site_setting_saved(sender, instance, **kwargs):
    # Every site setting (outlet name, breaking news, comment rules, house ad...) may
    # change what every page shows.
    if isinstance(instance, BaseSiteSetting):
        content_changed(common_urls(instance.site))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def view_restriction_changed(sender, instance, **kwargs):
    # The restricted paths are kept with the content version, and the proxy may hold
    # public copies of every page under the restricted one: all of them must go.
    pages = instance.page.get_descendants(inclusive=True).live()
    content_changed([page.full_url for page in pages])


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, instance, **kwargs):
    # Which site answers a host is kept with the content version.
    content_changed(common_urls(instance))
