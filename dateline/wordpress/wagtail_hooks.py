from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

admin_urlpatterns = (
    [
        path("", admin_views.start, name="start"),
        path("<int:pk>/", admin_views.run_detail, name="run"),
    ],
    "dateline_wordpress",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("import-wordpress/", include(admin_urlpatterns))]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import from WordPress"),
        reverse("dateline_wordpress:start"),
        icon_name="download",
        order=900,
    )
