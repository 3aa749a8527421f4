from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve as serve_media
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

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
    urlpatterns += [
        re_path(
            rf"^{prefix}(?P<path>.*)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]

# Wagtail's page tree answers every other path, so it goes last.
urlpatterns += [path("", include(wagtail_urls))]
