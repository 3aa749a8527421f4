"""What a Wagtail API token may do through the content API, and for whom.

Wagtail already keeps API tokens (``wagtail.models.APIToken``): a hashed secret shown
once, the account it acts as, when it was created and last used, and revocation. An
integration's token adds two things here: the integration it was issued to (named in
every page history entry its writes make) and the scopes it holds. A token without
scopes can do nothing through this API, whatever its account may do in the admin.
"""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import APIToken


class Scope(models.TextChoices):
    READ_DRAFTS = "articles:read-drafts", _("Read draft articles")
    WRITE_ARTICLES = "articles:write", _("Create and update draft articles")
    WRITE_IMAGES = "images:write", _("Upload images")
    SUBMIT_ARTICLES = "articles:submit", _("Submit articles for review")


class TokenAccess(models.Model):
    """The integration and the scopes of one API token."""

    token = models.OneToOneField(
        APIToken,
        on_delete=models.CASCADE,
        related_name="content_api_access",
        verbose_name=_("token"),
    )
    integration = models.CharField(
        _("integration"),
        max_length=120,
        help_text=_('Who uses the token, e.g. "Wire desk importer".'),
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)

    class Meta:
        verbose_name = _("content API access")

    def __str__(self):
        return self.integration

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


def create_integration_token(*, user, name, integration, scopes):
    """Issue a token acting as ``user`` for ``integration`` with ``scopes``.

    Returns ``(token, plaintext)``: the plaintext exists only in this return value
    (Wagtail stores a digest), so it must be shown to whoever asked, once.
    """
    with transaction.atomic():
        token, plaintext = APIToken.create_token(user=user, name=name)
        TokenAccess.objects.create(
            token=token, integration=integration, scopes=sorted(set(scopes))
        )
    return token, plaintext
