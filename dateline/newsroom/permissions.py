"""Who may edit an article, beyond Wagtail's own page permissions."""

from wagtail.models import PagePermissionTester


class ArticlePermissionTester(PagePermissionTester):
    """Adds the Reporter's right: to edit any article that carries their byline.

    Publishing stays with whoever holds Wagtail's publish permission.
    """

    def can_edit(self):
        if super().can_edit():
            return True
        return self.user.is_active and self.has_byline()

    def has_byline(self) -> bool:
        if not self.user.has_perm("dateline_newsroom.edit_bylined_article"):
            return False
        profile = getattr(self.user, "author_profile", None)
        if profile is None:
            return False
        return self.page.bylines.filter(author=profile).exists()
