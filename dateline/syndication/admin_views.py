"""Settings › API tokens: Wagtail's own token screens, with an integration and scopes.

Wagtail shows these screens only when its v3 API app is installed, which this project
does not mount (its page listing would show embargoed stories). The screens, the
once-only display of the secret and revocation are Wagtail's; creating or editing a
token here also records the integration it is for and what it may do, and the list
shows both.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log
from wagtail.models import APIToken
from wagtail.users.views import api_tokens

from .tokens import Scope, TokenAccess, create_integration_token


def _integration_field():
    return forms.CharField(
        label=_("Integration"),
        max_length=120,
        help_text=_('Who will use the token, e.g. "Wire desk importer".'),
    )


def _scopes_field():
    return forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the token may do through the content API."),
    )


class IntegrationTokenForm(api_tokens.APITokenForm):
    integration = _integration_field()
    scopes = _scopes_field()
    field_order = ["name", "integration", "user", "scopes"]


class IntegrationTokenEditForm(WagtailAdminModelForm):
    """Rename a token, or change its integration and scopes (at once effective)."""

    integration = _integration_field()
    scopes = _scopes_field()

    class Meta:
        model = APIToken
        fields = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        access = getattr(self.instance, "content_api_access", None)
        if access is not None:
            self.initial.update(integration=access.integration, scopes=access.scopes)

    def save(self, commit=True):
        token = super().save(commit=commit)
        if commit:
            TokenAccess.objects.update_or_create(
                token=token,
                defaults={
                    "integration": self.cleaned_data["integration"],
                    "scopes": sorted(set(self.cleaned_data["scopes"])),
                },
            )
        return token


def _integration(token):
    access = getattr(token, "content_api_access", None)
    return access.integration if access else ""


def _scopes(token):
    access = getattr(token, "content_api_access", None)
    return ", ".join(access.scopes) if access else ""


class IndexView(api_tokens.IndexView):
    @cached_property
    def columns(self):
        columns = list(super().columns)
        columns[2:2] = [
            Column("integration", label=_("Integration"), accessor=_integration),
            Column("scopes", label=_("Scopes"), accessor=_scopes),
        ]
        return columns

    def get_queryset(self):
        return super().get_queryset().select_related("content_api_access")


class CreateView(api_tokens.CreateView):
    def form_valid(self, form):
        owner = form.cleaned_data["user"]
        if not api_tokens.user_can_manage_token(
            self.request.user, owner, "wagtailcore.add_apitoken"
        ):
            raise PermissionDenied
        with transaction.atomic():
            self.object, plaintext = create_integration_token(
                user=owner,
                name=form.cleaned_data["name"],
                integration=form.cleaned_data["integration"],
                scopes=form.cleaned_data["scopes"],
            )
            log(self.object, "wagtail.apitoken.create", user=self.request.user)
        return TemplateResponse(
            self.request,
            "wagtailusers/api_tokens/created.html",
            self.get_created_context(plaintext),
        )


class IntegrationTokenViewSet(api_tokens.APITokenViewSet):
    index_view_class = IndexView
    add_view_class = CreateView

    def get_form_class(self, for_update=False):
        return IntegrationTokenEditForm if for_update else IntegrationTokenForm
