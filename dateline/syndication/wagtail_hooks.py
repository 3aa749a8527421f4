from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import NoIndexPage


class NoIndexPageViewSet(SnippetViewSet):
    model = NoIndexPage
    icon = "no-view"
    menu_label = _("Hidden from search")
    list_display = ["page", "reason"]


register_snippet(NoIndexPageViewSet)
