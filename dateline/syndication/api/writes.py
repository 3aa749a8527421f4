"""The content API's writes, for integrations holding a token with the right scope.

Each parses the body, binds the article editor's form (``forms.py``), calls one of
the newsroom's actions (the code the admin runs) and records in the page's history
which integration wrote, beside the entries Wagtail itself makes.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.views.decorators.cache import never_cache
from ninja import File, Form, Router, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.files import UploadedFile
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.log_actions import log
from wagtail.models import Collection
from wagtail.utils.forms import FormValidationError

from dateline.newsroom import actions
from dateline.newsroom.models import ArticlePage, SectionPage

from ..tokens import Scope
from . import forms, schemas, serializers
from .auth import ScopedToken, WriteThrottle
from .errors import FieldErrors, form_errors

router = Router(tags=["write"])

REFUSED = {
    400: schemas.Error,
    401: schemas.Error,
    403: schemas.Error,
    404: schemas.Error,
    409: schemas.Error,
    422: schemas.FieldErrors,
    429: schemas.Error,
}
LOG_ACTION = "dateline.content_api"


def private(view):
    """Never stored by the page cache or the proxy: answers here depend on the token
    (a draft read with one must not be served to the next client without)."""
    return decorate_view(never_cache)(view)


def write(method, path, scope, response, **options):
    """A write operation: a token with ``scope``, rate-limited per token."""
    operation = getattr(router, method)(
        path,
        auth=ScopedToken(scope),
        throttle=WriteThrottle(),
        response={**response, **REFUSED},
        **options,
    )
    return lambda view: operation(private(view))


def _log(request, instance, operation):
    """Name the integration in the history entry of this write."""
    access = request.auth.content_api_access
    data = {"integration": access.integration, "token": request.auth.prefix}
    log(instance, LOG_ACTION, user=request.user, data={**data, "operation": operation})


def _save(form, run):
    """Run one action on a bound form; a refused form is a 422 naming its fields."""
    try:
        with transaction.atomic():
            return run()
    except FormValidationError as error:
        raise FieldErrors(form_errors(form)) from error


def _editable_article(request, id):
    """The article, if the token's account may edit it; otherwise as if absent."""
    article = ArticlePage.objects.filter(pk=id).first()
    if article is None or not article.permissions_for_user(request.user).can_edit():
        raise HttpError(404, "No such article.")
    return article


def _draft(request, article, status=200):
    return Status(status, serializers.draft(request, article))


@write("post", "/drafts/", Scope.WRITE_ARTICLES, {201: schemas.Draft})
def create_draft(request, data: schemas.DraftCreate):
    """Create a draft article in a section."""
    section = SectionPage.objects.filter(pk=data.section).first()
    if section is None:
        raise FieldErrors({"section": ["No section has this id."]})
    fields = data.dict(exclude={"section"}, exclude_none=True)
    if "authors" not in fields:
        # As in the editor: a new story's byline starts as its writer's.
        fields["authors"] = [actions.do_ensure_author_profile(request.user).slug]
    form = forms.new_article_form(section, fields, request.user)

    def run():
        article = actions.check_create_draft_article(request.user, section, form)
        _log(request, article, "create")
        return article

    return _draft(request, _save(form, run), 201)


@router.get(
    "/drafts/{id}/",
    auth=ScopedToken(Scope.READ_DRAFTS),
    response={200: schemas.Draft, **REFUSED},
    url_name="draft",
)
@private
def read_draft(request, id: schemas.PageId):
    """The latest draft of an article the token's account may edit."""
    return _draft(request, _editable_article(request, id))


@write("patch", "/drafts/{id}/", Scope.WRITE_ARTICLES, {200: schemas.Draft})
def update_draft(request, id: schemas.PageId, data: schemas.DraftFields):
    """Change the fields sent; a live article keeps what readers see until published."""
    article = _editable_article(request, id)
    fields = data.dict(exclude_unset=True)
    if not fields:
        raise FieldErrors({"__all__": ["Send at least one field to change."]})
    form = forms.article_update_form(article, fields, request.user)

    def run():
        saved = actions.check_update_draft_article(request.user, form)
        _log(request, saved, "update")
        return saved

    return _draft(request, _save(form, run))


@write("post", "/drafts/{id}/submit/", Scope.SUBMIT_ARTICLES, {200: schemas.Draft})
def submit_draft(request, id: schemas.PageId):
    """Submit the article's latest draft for review through its workflow."""
    article = _editable_article(request, id)
    try:
        with transaction.atomic():
            actions.check_submit_article_for_review(request.user, article)
            _log(request, article, "submit")
    except DjangoValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from error
    return _draft(request, ArticlePage.objects.get(pk=id))


@write("post", "/images/", Scope.WRITE_IMAGES, {201: schemas.ImageOut})
def upload_image(
    request,
    file: File[UploadedFile],
    title: Form[str] = "",
    alt: Form[str] = "",
):
    """Upload an image (checked for type and size as the admin checks it)."""
    image_class = get_image_model()
    form_class = get_image_form(image_class)
    data = {
        "title": title or file.name,
        "description": alt,
        "collection": Collection.get_first_root_node().pk,
    }
    instance = image_class(uploaded_by_user=request.user)
    form = form_class(data, {"file": file}, instance=instance, user=request.user)

    def run():
        image = actions.check_add_image(request.user, form)
        _log(request, image, "upload")
        return image

    image = _save(form, run)
    return Status(201, serializers.uploaded_image(image))
