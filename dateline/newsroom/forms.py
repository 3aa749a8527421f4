"""The article editor's form: a new story starts with its writer's byline."""

from wagtail.admin.forms import WagtailAdminPageForm


class ArticlePageForm(WagtailAdminPageForm):
    """Wagtail's page form, with the first byline of a new article set to the author
    profile of whoever is writing it (``wagtail_hooks.author_profile_for_writer``
    makes that profile on their first story)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is None:
            self.default_byline()

    def default_byline(self):
        profile = getattr(self.for_user, "author_profile", None)
        bylines = self.formsets.get("bylines")
        if profile is not None and bylines is not None:
            # Read by the formset's extra forms, which it has not built yet.
            bylines.initial_extra = [{"author": profile.pk}]
