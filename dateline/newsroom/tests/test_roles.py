"""What each newsroom role can and cannot do, through the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page, Site, WorkflowState
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from dateline.newsroom.models import ArticlePage, Author
from dateline.testing.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def user_in(role, name=None):
    user = get_user_model().objects.create_user(
        name or role.lower().replace(" ", "-"),
        password="pw",
        email=f"{role[:3]}@n.example",
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def section():
    return make_section("World")


def article_form(author, title="Draft from the field", action=None):
    data = {
        "title": title,
        "slug": title.lower().replace(" ", "-"),
        "standfirst": "",
        "dateline_place": "Quetta",
        "bylines": inline_formset([{"author": author.pk}]),
        "corrections": inline_formset([]),
        "comment_policy": inline_formset([]),
        "body": streamfield(
            [("paragraph", rich_text("<p>Words.</p>", features=["bold"]))]
        ),
        "tags": "",
        "language": "en",
    }
    if action:
        data[action] = action
    return nested_form_data(data)


def add_article(client, section, author, **kwargs):
    return client.post(
        f"/admin/pages/add/dateline_newsroom/articlepage/{section.pk}/",
        article_form(author, **kwargs),
    )


def setting_url(app, model):
    site = Site.objects.get(is_default_site=True)
    return f"/admin/settings/{app}/{model}/{site.pk}/"


def can_open(client, path):
    return client.get(path).status_code == 200


def test_contributor_drafts_and_submits_but_cannot_publish(client, section):
    contributor = user_in("Contributors")
    client.force_login(contributor)
    author = make_author("Field Reporter")
    response = add_article(client, section, author, action="action-publish")
    article = ArticlePage.objects.get(slug="draft-from-the-field")
    assert not article.live  # the publish button is not theirs
    assert response.status_code in (200, 302)
    assert can_open(client, f"/admin/pages/{article.pk}/edit/")  # their own draft

    client.post(
        f"/admin/pages/{article.pk}/edit/", article_form(author, action="action-submit")
    )
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == "in_progress"
    assert state.current_task_state.task.name == "Editor review"

    others = make_article(section, title="Someone else's story")
    assert not can_open(client, f"/admin/pages/{others.pk}/edit/")


def test_reporter_edits_stories_with_their_byline_only(client, section):
    reporter = user_in("Reporters")
    mine = make_author("Sana Reporter", user=reporter)
    with_me = make_article(section, title="Bylined", authors=[make_author(), mine])
    without_me = make_article(section, title="Not mine")
    client.force_login(reporter)
    assert can_open(client, f"/admin/pages/{with_me.pk}/edit/")
    assert not can_open(client, f"/admin/pages/{without_me.pk}/edit/")
    client.post(
        f"/admin/pages/{with_me.pk}/edit/",
        article_form(mine, title="Bylined", action="action-publish"),
    )
    assert ArticlePage.objects.get(pk=with_me.pk).has_unpublished_changes


def test_editor_edits_any_article_publishes_and_approves_review(client, section):
    editor, contributor = user_in("Editors"), user_in("Contributors")
    author = make_author("Desk")
    client.force_login(contributor)
    add_article(client, section, author, title="For review", action="action-submit")
    article = ArticlePage.objects.get(slug="for-review")
    client.force_login(editor)
    dashboard = client.get("/admin/").content.decode()
    assert "For review" in dashboard  # awaiting their review
    state = WorkflowState.objects.get(object_id=str(article.pk))
    response = client.post(
        f"/admin/pages/workflow/action/{article.pk}/approve/{state.current_task_state.pk}/",
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    assert ArticlePage.objects.get(pk=article.pk).live

    other = make_article(section, title="Any story", publish=False)
    assert can_open(client, f"/admin/pages/{other.pk}/edit/")
    client.post(
        f"/admin/pages/{other.pk}/edit/",
        article_form(author, title="Any story", action="action-publish"),
    )
    assert ArticlePage.objects.get(pk=other.pk).live
    assert can_open(client, setting_url("dateline_newsroom", "breakingnews"))
    # Editors moderate their desk's comments (the whole tree, for this role).
    assert can_open(client, "/admin/reader-comments/")
    assert not can_open(client, "/admin/reader-comments/bans/")
    assert not can_open(client, setting_url("dateline_ads", "housead"))


def test_moderator_and_ad_manager_stay_in_their_lanes(client, section):
    article = make_article(section)
    client.force_login(user_in("Moderators"))
    assert can_open(client, "/admin/reader-comments/")
    assert not can_open(client, f"/admin/pages/{article.pk}/edit/")
    client.force_login(user_in("Ad managers"))
    assert can_open(client, setting_url("dateline_ads", "housead"))
    assert not can_open(client, f"/admin/pages/{article.pk}/edit/")
    assert not can_open(client, "/admin/reader-comments/")


def test_administrator_can_do_everything(client, section):
    article = make_article(section)
    client.force_login(user_in("Administrators"))
    for path in [
        f"/admin/pages/{article.pk}/edit/",
        "/admin/reader-comments/",
        setting_url("dateline_ads", "housead"),
        "/admin/users/",
        f"/admin/pages/add/dateline_newsroom/articlepage/{section.pk}/",
    ]:
        assert can_open(client, path), path


def test_retract_takes_a_story_down_with_the_reason_recorded(client, section):
    article = make_article(section, title="Wrong story")
    editor = user_in("Editors")
    client.force_login(user_in("Contributors", "contrib"))
    assert client.get(f"/admin/newsroom/retract/{article.pk}/").status_code in (
        302,
        403,
    )
    client.force_login(editor)
    form = client.get(f"/admin/newsroom/retract/{article.pk}/")
    assert b"Why is this story coming down?" in form.content
    empty = client.post(f"/admin/newsroom/retract/{article.pk}/", {"reason": ""})
    assert b"Please give the reason." in empty.content
    client.post(
        f"/admin/newsroom/retract/{article.pk}/", {"reason": "Source withdrew."}
    )
    article.refresh_from_db()
    assert not article.live
    history = client.get(f"/admin/pages/{article.pk}/history/").content.decode()
    assert "Retracted: Source withdrew." in history
    client.logout()
    assert client.get(article.url or "/world/wrong-story/").status_code == 404
    assert Page.objects.get(pk=article.pk).live is False
    assert Author.objects.exists()


def test_editor_compares_and_reverts_revisions_and_locks_a_story(client, section):
    from dateline.newsroom.actions import do_publish_article

    article = make_article(section, title="First headline")
    first_revision = article.latest_revision
    article.title = "Second headline"
    do_publish_article(article)
    editor = user_in("Editors")
    client.force_login(editor)
    compare = client.get(
        f"/admin/pages/{article.pk}/revisions/compare/{first_revision.pk}...live/"
    )
    assert compare.status_code == 200
    assert b"First" in compare.content and b"Second" in compare.content
    revert = client.get(
        f"/admin/pages/{article.pk}/revisions/{first_revision.pk}/revert/"
    )
    assert revert.status_code == 200
    assert b"First headline" in revert.content, revert.content.decode()[-3000:]

    client.post(f"/admin/pages/{article.pk}/lock/")
    article.refresh_from_db()
    assert article.locked and article.locked_by == editor
    reporter = user_in("Reporters", "other-reporter")
    make_author("Lock Tester", user=reporter)
    client.force_login(user_in("Editors", "second-editor"))
    edit = client.get(f"/admin/pages/{article.pk}/edit/")
    assert b"locked" in edit.content.lower()
