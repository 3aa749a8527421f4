from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from django.views.static import serve as serve_media
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

RENDITION_MAX_AGE = 365 * 24 * 3600

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("comments/", include("dateline.comments.urls")),
    path("ads/", include("dateline.ads.urls")),
    path("search/", include("dateline.search.urls")),
    path("", include("dateline.syndication.urls")),
    path("", include("dateline.newsroom.urls")),
]

if settings.DATELINE_SERVE_MEDIA:
    prefix = settings.MEDIA_URL.lstrip("/")
    # A rendition's name carries its source file's unique name, its filter and its
    # focal point: a changed picture is a new address, so browsers and the proxy may
    # keep one for a year without asking again.
    serve_rendition = cache_control(
        public=True, max_age=RENDITION_MAX_AGE, immutable=True
    )(serve_media)
    urlpatterns += [
        re_path(
            rf"^{prefix}(?P<path>images/[^/]+)$",
            serve_rendition,
            {"document_root": settings.MEDIA_ROOT},
        ),
        re_path(
            rf"^{prefix}(?P<path>.*)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]

# Wagtail's page tree answers every other path, so it goes last.
urlpatterns += [path("", include(wagtail_urls))]
