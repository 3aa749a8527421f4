import pytest
from django.contrib.auth import get_user_model

from dateline.testing.factories import home_page, make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("boss", password="pw"))
    return client


def test_editors_can_open_every_editing_screen(admin_client):
    section = make_section("World")
    article = make_article(section)
    home = home_page()
    paths = [
        f"/admin/pages/add/dateline_newsroom/articlepage/{section.pk}/",
        f"/admin/pages/add/dateline_newsroom/sectionpage/{home.pk}/",
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{section.pk}/edit/",
        f"/admin/pages/{home.pk}/edit/",
        "/admin/snippets/dateline_newsroom/author/add/",
        "/admin/settings/dateline_newsroom/outletsettings/",
        "/admin/settings/dateline_ads/housead/",
        "/admin/reader-comments/",
    ]
    for path in paths:
        assert admin_client.get(path, follow=True).status_code == 200, path


def test_article_added_in_the_editor_gets_reading_time_and_section(admin_client):
    from dateline.newsroom.models import ArticlePage, Author

    section = make_section("Business")
    author = Author.objects.create(name="Nadia", slug="nadia")
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    paragraph = rich_text("<p>" + "word " * 401 + "</p>", features=["bold", "italic"])

    data = nested_form_data(
        {
            "title": "Exporters meet in Karachi",
            "slug": "exporters-meet",
            "standfirst": "Trade talk.",
            "dateline_place": "Karachi",
            "bylines": inline_formset([{"author": author.pk}]),
            "corrections": inline_formset([]),
            "comment_policy": inline_formset([]),
            "body": streamfield([("paragraph", paragraph)]),
            "tags": "trade",
            "language": "en",
            "action-publish": "publish",
        }
    )
    response = admin_client.post(
        f"/admin/pages/add/dateline_newsroom/articlepage/{section.pk}/", data
    )
    assert response.status_code == 302, response.content[:3000]
    article = ArticlePage.objects.get(slug="exporters-meet")
    assert article.live
    assert article.reading_minutes == 3
    assert article.section_id == section.pk
    assert [b.author for b in article.bylines.all()] == [author]


def test_preview_shows_a_draft_as_readers_will_see_it(admin_client):
    section = make_section("World")
    article = make_article(section, title="Draft headline", publish=False)
    revision = article.save_revision()
    response = admin_client.get(
        f"/admin/pages/{article.pk}/revisions/{revision.pk}/view/"
    )
    assert response.status_code == 200
    assert b"Draft headline" in response.content
    assert b"Min Read" in response.content
