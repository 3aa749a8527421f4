"""Writes to the newsroom's content: the admin, commands and tests all come here."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from wagtail.models import Site

from dateline.caching.tags import invalidate

from .models import ArticleByline, ArticlePage, Author, OutletSettings, SectionPage


def do_create_article(section, *, authors, tags=(), **fields) -> ArticlePage:
    """Add a draft article under ``section`` with its bylines, in the order given.

    The article is not live until ``do_publish_article``.
    """
    article = ArticlePage(live=False, **fields)
    article.bylines = [
        ArticleByline(author=author, sort_order=i) for i, author in enumerate(authors)
    ]
    with transaction.atomic():
        section.add_child(instance=article)
        if tags:
            article.tags.set(list(tags))
            article.save()
    return article


def do_ensure_author_profile(user) -> Author:
    """The author profile linked to ``user``, made from their name and e-mail the
    first time they write (its slug made from the name)."""
    profile = Author.objects.filter(user=user).first()
    if profile is not None:
        return profile
    name = user.get_full_name().strip() or user.get_username()
    try:
        with transaction.atomic():
            return Author.objects.create(name=name, email=user.email or "", user=user)
    except IntegrityError:  # the same writer, opening two new stories at once
        return Author.objects.get(user=user)


def do_publish_article(article: ArticlePage, *, user=None) -> ArticlePage:
    """Publish the article's current state as a new revision.

    Reading time is counted as the revision is saved, so page views never count words.
    """
    revision = article.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    article.refresh_from_db()
    return article


def do_schedule_article(article: ArticlePage, go_live_at, *, user=None) -> ArticlePage:
    """Approve the article's current state to go live at ``go_live_at``.

    Wagtail keeps it as a scheduled revision; the scheduler publishes it when due.
    """
    article.go_live_at = go_live_at
    revision = article.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    article.refresh_from_db()
    return article


def do_retract_article(article: ArticlePage, *, reason: str, user=None) -> ArticlePage:
    """Take a published article down, recording why in the page's history."""
    from wagtail.log_actions import log

    with transaction.atomic():
        article.unpublish(user=user, log_action=None)
        log(
            instance=article,
            action="dateline.retract",
            user=user,
            data={"reason": reason},
        )
    article.refresh_from_db()
    return article


def check_retract_article(user, article: ArticlePage, reason: str) -> ArticlePage:
    if not article.permissions_for_user(user).can_unpublish():
        raise PermissionDenied
    return do_retract_article(article, reason=reason, user=user)


def do_recount_reading_time(*, batch_size: int = 500) -> int:
    """Recount every article's words and minutes as saving it would; return how many.

    Stored counts include the dateline, which carries the outlet's name, and minutes
    follow the reading rate: after either changes, this brings every story in line.
    Only the two count columns are written, in batches: no revision, no publish.
    """
    names = outlet_names_by_root()
    fallback = next((name for _, name, default in names if default), "")
    articles = ArticlePage.objects.order_by("pk").only(
        "path", "dateline_place", "language", "body", "word_count", "reading_minutes"
    )
    pks = list(articles.values_list("pk", flat=True))
    for start in range(0, len(pks), batch_size):
        batch = list(articles.filter(pk__in=pks[start : start + batch_size]))
        for article in batch:
            outlet = next(
                (name for root, name, _ in names if article.path.startswith(root)),
                fallback,
            )
            article.update_reading_time(outlet)
        ArticlePage.objects.bulk_update(batch, ["word_count", "reading_minutes"])
        invalidate([f"article:{article.pk}" for article in batch])
    # Counts show on every card too: retire every listing once, not per story.
    invalidate(listing_tags())
    return len(pks)


def listing_tags() -> list[str]:
    """The cache tags of every listing: the front, each section, tag and author."""
    from taggit.models import Tag

    sections = SectionPage.objects.values_list("pk", flat=True)
    authors = Author.objects.values_list("pk", flat=True)
    slugs = Tag.objects.values_list("slug", flat=True)
    return [
        "front",
        *(f"section:{pk}" for pk in sections),
        *(f"author:{pk}" for pk in authors),
        *(f"tag:{slug}" for slug in slugs),
    ]


def outlet_names_by_root() -> list[tuple[str, str, bool]]:
    """(root page path, outlet name, is the default site) per site, deepest first."""
    sites = Site.objects.select_related("root_page")
    names = [
        (site.root_page.path, OutletSettings.for_site(site).name, site.is_default_site)
        for site in sites
    ]
    return sorted(names, key=lambda entry: len(entry[0]), reverse=True)


# Drafts, review and images as the editor makes them. Wagtail's own create and edit
# actions are what its admin views and its API run: they validate the editor's form
# (as for a draft, so required fields may wait until publishing), save the page and a
# revision, and write the page's history.


def do_create_draft_article(section, form, *, user) -> ArticlePage:
    """Save the bound editor ``form`` as a new draft article under ``section``.

    The article is not live; its first revision and the "created" and "edited" history
    entries name ``user``. Raises ``FormValidationError`` when the form is invalid.
    """
    from wagtail.actions.create_page import CreatePageAction

    action = CreatePageAction(form.instance, section, user=user, form=form)
    return action.execute(skip_permission_checks=True)


def check_create_draft_article(user, section, form) -> ArticlePage:
    from wagtail.actions.create_page import CreatePageAction

    CreatePageAction(form.instance, section, user=user, form=form).check()
    return do_create_draft_article(section, form, user=user)


def do_update_draft_article(form, *, user) -> ArticlePage:
    """Save the bound editor ``form`` over an article's latest draft as a new revision.

    A live article stays as readers see it until the revision is published.
    """
    from wagtail.actions.edit_page import EditPageAction

    action = EditPageAction(form.instance, user=user, form=form)
    return action.execute(skip_permission_checks=True)


def check_update_draft_article(user, form) -> ArticlePage:
    from wagtail.actions.edit_page import EditPageAction

    EditPageAction(form.instance, user=user, form=form).check()
    return do_update_draft_article(form, user=user)


def do_submit_article_for_review(article: ArticlePage, *, user) -> ArticlePage:
    """Send the article's latest revision through its workflow, as the editor's
    "Submit for moderation" does: a workflow sent back for changes resumes, otherwise
    the workflow that applies to the article starts. Wagtail logs it in the history.
    """
    from wagtail.models import WorkflowState

    state = article.current_workflow_state
    if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    else:
        article.get_workflow().start(article, user)
    return article


def check_submit_article_for_review(user, article: ArticlePage) -> ArticlePage:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _
    from wagtail.models import WorkflowState

    # Checked before permission: Wagtail refuses a second submission as a permission.
    state = article.current_workflow_state
    if state and state.status == WorkflowState.STATUS_IN_PROGRESS:
        raise ValidationError(_("The article is already in review."))
    if article.get_workflow() is None:
        raise ValidationError(_("No review workflow applies to this article."))
    if not article.permissions_for_user(user).can_submit_for_moderation():
        raise PermissionDenied(_("This account may not submit the article for review."))
    return do_submit_article_for_review(article, user=user)


def check_add_image(user, form):
    """Save the bound image ``form`` (Wagtail's, which checks the file's type and size)
    as a new image if ``user`` may add images; logged as the admin logs it."""
    from wagtail.actions.create import CreateAction

    return CreateAction(form.instance, user=user, form=form).execute()


def do_set_breaking_news(site, *, text: str, link: str, expires_at) -> None:
    """Show the breaking-news banner on every page of ``site`` until ``expires_at``.

    Saving the setting retires every cached page (the ``site-settings`` tag).
    """
    from .models import BreakingNews

    banner, _ = BreakingNews.objects.get_or_create(site=site)
    banner.text, banner.link, banner.expires_at = text[:200], link[:500], expires_at
    banner.save()
