"""``/?p=123`` and its kind: WordPress's plain addresses, which reach the home page
rather than a 404, so Wagtail's redirect middleware never sees them."""

from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

QUERY_KEYS = {"p", "page_id", "cat", "tag", "author_name", "attachment_id"}


class WordPressQueryRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and QUERY_KEYS & set(request.GET):
            response = self.redirect(request)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def redirect(request):
        path = Redirect.normalise_path(request.get_full_path())
        site = Site.find_for_request(request)
        found = (
            Redirect.get_for_site(site)
            .filter(old_path=path)
            .select_related("redirect_page")
            .first()
        )
        if found is None or not found.link:
            return None
        response_class = (
            HttpResponsePermanentRedirect
            if found.is_permanent
            else HttpResponseRedirect
        )
        return response_class(found.link)
