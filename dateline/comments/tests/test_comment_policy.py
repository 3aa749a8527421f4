"""Each page's own comment rules: set in its editor, kept by the comments app."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from dateline.comments.models import Comment, CommentPolicy
from dateline.testing.factories import make_article, make_section

from .helpers import post, rules


def soup_text(html):
    return BeautifulSoup(html, "html.parser").get_text()


pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    editor = Client()
    editor.force_login(get_user_model().objects.create_superuser("boss", password="pw"))
    return editor


def article_edit_form(article, policy):
    return nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "standfirst": "",
            "dateline_place": "",
            "bylines": inline_formset(
                [{"id": b.pk, "author": b.author_id} for b in article.bylines.all()],
                initial=article.bylines.count(),
            ),
            "corrections": inline_formset([]),
            "comment_policy": inline_formset([policy]),
            "body": streamfield([("paragraph", rich_text("<p>Words.</p>"))]),
            "tags": "",
            "language": "en",
            "action-publish": "publish",
        }
    )


def test_the_article_editor_shows_the_reader_comments_settings(admin_client):
    article = make_article()
    html = admin_client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "Reader comments" in soup_text(html)
    assert 'name="comment_policy-TOTAL_FORMS"' in html
    # The form an editor adds with "Add comment policy", kept as a template.
    assert 'name="comment_policy-__prefix__-comments_open"' in html
    assert 'name="comment_policy-__prefix__-moderation"' in html


def test_an_editor_closes_an_article_and_readers_see_it_closed(
    admin_client, client, django_capture_on_commit_callbacks
):
    article = make_article(title="Closing time")
    response = admin_client.post(
        f"/admin/pages/{article.pk}/edit/",
        article_edit_form(article, {"comments_open": "", "moderation": "publish"}),
    )
    assert response.status_code == 302, response.content[:2000]
    policy = CommentPolicy.objects.get(page=article)
    assert (policy.comments_open, policy.moderation) == (False, "publish")
    assert b"Comments are closed." in client.get(article.url).content
    assert post(client, article).status_code == 403
    assert not Comment.objects.filter(article=article).exists()

    reopened = {"id": policy.pk, "comments_open": "on", "moderation": ""}
    form = article_edit_form(article, reopened)
    form["comment_policy-INITIAL_FORMS"] = "1"
    with django_capture_on_commit_callbacks(execute=True):  # the page cache moves on
        response = admin_client.post(f"/admin/pages/{article.pk}/edit/", form)
    assert response.status_code == 302, response.content[:2000]
    assert CommentPolicy.objects.get(page=article).comments_open
    assert b"Comments are closed." not in client.get(article.url).content


def test_a_section_editor_sets_the_mode_for_its_articles(admin_client, client):
    rules(moderation_mode="hold")
    section = make_section("Sport")
    editor = admin_client.get(f"/admin/pages/{section.pk}/edit/").content.decode()
    assert 'name="comment_policy-__prefix__-moderation"' in editor
    assert "comment_policy-__prefix__-comments_open" not in editor
    form = nested_form_data(
        {
            "title": section.title,
            "slug": section.slug,
            "intro": "",
            "comment_policy": inline_formset([{"moderation": "publish"}]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(f"/admin/pages/{section.pk}/edit/", form)
    assert response.status_code == 302, response.content[:2000]
    article = make_article(section)
    post(client, article)
    assert Comment.objects.get(article=article).status == "approved"


def test_a_draft_policy_waits_for_publication(
    client, django_capture_on_commit_callbacks
):
    article = make_article(title="Still open")
    article.comment_policy = [CommentPolicy(comments_open=False)]
    article.save_revision()
    assert b"Comments are closed." not in client.get(article.url).content
    with django_capture_on_commit_callbacks(execute=True):
        article.get_latest_revision().publish()
    assert b"Comments are closed." in client.get(article.url).content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_policies_kept_on_pages_before_the_move_are_carried_over():
    """Databases from before the move had the rules in the newsroom's own columns."""
    section = make_section("Opinion")
    closed = make_article(section, title="Closed one")
    held = make_article(section, title="Held one")
    untouched = make_article(section, title="Untouched")
    before = [
        ("dateline_comments", "0003_moderators_comments_only"),
        ("dateline_newsroom", "0007_newsroom_roles"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    pages = old.get_model("dateline_newsroom", "ArticlePage").objects
    pages.filter(pk=closed.pk).update(comments_open=False)
    pages.filter(pk=held.pk).update(comment_moderation="hold")
    sections = old.get_model("dateline_newsroom", "SectionPage").objects
    sections.filter(pk=section.pk).update(comment_moderation="publish")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    policies = {
        p.page_id: (p.comments_open, p.moderation) for p in CommentPolicy.objects.all()
    }
    assert policies == {
        closed.pk: (False, ""),
        held.pk: (True, "hold"),
        section.pk: (True, "publish"),
    }
    assert untouched.pk not in policies
