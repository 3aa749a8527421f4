"""The admin's page explorer and page search on a big section (newsroom/explorer.py,
search/backends/postgres.py): the same pages as Wagtail's, read without counting or
checking every page."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import GroupPagePermission

from dateline.testing.factories import make_article, make_author, make_section
from dateline.testing.tasks import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(django_user_model):
    return django_user_model.objects.create_superuser("boss", password="pw")


def desk_editor(django_user_model, name, page, codename="publish_page"):
    group = Group.objects.create(name=f"{name}'s desk")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=page,
        permission=Permission.objects.get(
            codename=codename, content_type__app_label="wagtailcore"
        ),
    )
    user = django_user_model.objects.create_user(name, password="pw")
    user.groups.add(group)
    return user


def explore(client, section):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/admin/pages/{section.pk}/")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def page_counts(sqls) -> list[str]:
    return [
        sql for sql in sqls if 'COUNT(*) AS "__count" FROM "wagtailcore_page"' in sql
    ]


def test_the_explorer_lists_every_story_of_a_section_without_counting_them(
    client, boss
):
    section = make_section("World")
    for number in range(3):
        make_article(section, title=f"World story {number}")
    client.force_login(boss)
    explore(client, section)  # the session's and Wagtail's first-view reads

    html, sqls = explore(client, section)

    for number in range(3):
        assert f"World story {number}" in html
    # Wagtail's own count line, from the number of children the tree keeps.
    assert re.search(r"\b3 pages\b", html), "the listing's count of pages"
    assert page_counts(sqls) == []

    for number in range(3, 8):
        make_article(section, title=f"World story {number}")
    more_html, more_sqls = explore(client, section)
    assert re.search(r"\b8 pages\b", more_html)
    assert "World story 7" in more_html
    assert len(more_sqls) == len(sqls), "queries grew with the section"


def test_an_editor_of_some_stories_sees_those_stories_only(client, django_user_model):
    section = make_section("World")
    theirs = make_article(section, title="Their own story")
    make_article(section, title="Someone else's story")
    also_theirs = make_article(section, title="Their second story")
    editor = desk_editor(django_user_model, "ali", theirs)
    GroupPagePermission.objects.create(
        group=editor.groups.get(),
        page=also_theirs,
        permission=Permission.objects.get(
            codename="publish_page", content_type__app_label="wagtailcore"
        ),
    )
    client.force_login(editor)

    html, sqls = explore(client, section)

    assert "Their own story" in html and "Their second story" in html
    assert "Someone else" not in html
    assert re.search(r"\b2 pages\b", html)


def test_a_desk_editor_sees_every_story_of_their_section(client, django_user_model):
    world, business = make_section("World"), make_section("Business")
    make_article(world, title="Summit opens")
    make_article(business, title="Markets rally")
    editor = desk_editor(django_user_model, "bea", world)
    client.force_login(editor)

    html, sqls = explore(client, world)

    assert "Summit opens" in html
    assert page_counts(sqls) == []
    assert client.get(f"/admin/pages/{business.pk}/").status_code in (302, 403)


def test_the_owner_filter_offers_the_owners_of_pages_only(
    client, boss, django_user_model
):
    section = make_section("World")
    writer = django_user_model.objects.create_user(
        "nadia", first_name="Nadia", last_name="Writer"
    )
    django_user_model.objects.create_user("idle", first_name="Idle", last_name="Reader")
    article = make_article(section, title="Owned story")
    type(article).objects.filter(pk=article.pk).update(owner=writer)
    client.force_login(boss)

    html, _ = explore(client, section)

    assert "Nadia Writer" in html
    assert "Idle Reader" not in html

    filtered = client.get(f"/admin/pages/{section.pk}/?owner={writer.pk}")
    assert "Owned story" in filtered.content.decode()


def test_the_admin_page_search_ranks_the_newest_matches(client, boss, settings):
    settings.DATELINE_SEARCH_NEWEST_MATCHES = 2
    section = make_section("World")
    author = make_author()
    for number in range(3):
        make_article(section, title=f"Water story {number}", authors=[author])
    make_article(section, title="Harvest story", authors=[author])
    run_tasks()  # the index is written in a task
    client.force_login(boss)

    html = client.get("/admin/pages/search/?q=water").content.decode()

    assert "Water story 2" in html and "Water story 1" in html
    assert "Harvest story" not in html
    # Only the two newest matches are read: the oldest is found with more words.
    assert "Water story 0" not in html
    more = client.get("/admin/pages/search/?q=water+story+0").content.decode()
    assert "Water story 0" in more
    by_title = client.get("/admin/pages/search/?q=water&ordering=title").content
    assert by_title.decode().index("Water story 1") < by_title.decode().index(
        "Water story 2"
    )
    in_section = client.get(f"/admin/pages/{section.pk}/?q=water").content.decode()
    assert "Water story 2" in in_section and "Harvest story" not in in_section

    settings.DATELINE_SEARCH_NEWEST_MATCHES = 0
    everything = client.get("/admin/pages/search/?q=water").content.decode()
    assert "Water story 0" in everything
