"""The article page kept as HTML with holes (``dateline.caching.shells``): readers see
exactly the page rendered in full, the per-view parts fresh on every view, and the
rest rendered again whenever something it shows changes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

from dateline.caching import shells
from dateline.newsroom.actions import do_publish_article, do_set_breaking_news
from dateline.newsroom.models import ArticlePage
from dateline.testing.factories import (
    make_article,
    make_author,
    make_comment,
    make_image,
    make_section,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept(settings):
    settings.DATELINE_FRAGMENT_CACHE = True


@pytest.fixture
def story():
    article = make_article(
        make_section("Pakistan"),
        title="Capital water plan",
        authors=[make_author("Amina Qureshi")],
        lead_image=make_image("Dam"),
    )
    article.tags.add("water")
    article.corrections.create(text="An earlier version misspelt a name.")
    return do_publish_article(article)


def view(client, article, query=""):
    """The page's HTML and the number of queries its view made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url + query)
    assert response.status_code == 200, response.status_code
    return response.content.decode(), len(queries.captured_queries)


def test_the_kept_page_is_the_page_rendered_in_full(client, settings, story):
    make_comment(story, body="Clean water at last.")
    first, _ = view(client, story)  # built: the shell is kept
    kept, kept_queries = view(client, story)
    settings.DATELINE_FRAGMENT_CACHE = False
    full, full_queries = view(client, story)
    assert kept == first == full
    assert "Capital water plan" in kept and "Clean water at last." in kept
    assert "An earlier version misspelt a name." in kept
    # Read from the shell: the story with its counts, its bylines and a page of
    # comments; the tags and corrections come with the kept page.
    assert kept_queries == 3
    assert full_queries > kept_queries


def test_the_kept_view_reads_the_same_rows_however_much_the_story_carries(
    client, story
):
    make_comment(story)
    view(client, story)
    _, before = view(client, story)
    for number in range(10):
        make_comment(story)
        story.tags.add(f"tag-{number}")
        story.corrections.create(text=f"Correction {number}.")
    story.save_revision().publish()  # as an editor adds them
    view(client, story)
    html, after = view(client, story)
    assert after == before == 3
    assert html.count('class="comment comment--depth-1"') == 11
    assert "Correction 9." in html and 'href="/tags/tag-9/"' in html


def test_comments_bylines_and_the_banner_are_fresh_on_every_view(client, story):
    view(client, story)
    view(client, story)
    make_comment(story, name="Bilal", body="Who pays for the pipes?")
    do_set_breaking_news(
        Site.objects.get(is_default_site=True),
        text="Floods close the motorway",
        link="/pakistan/",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    author = story.bylines.get().author
    author.name = "Amina Qureshi-Khan"
    author.save()
    html, _ = view(client, story)
    assert "Who pays for the pipes?" in html
    assert "Floods close the motorway" in html
    assert "Amina Qureshi-Khan" in html


def test_the_banner_goes_when_it_expires_though_nothing_was_retired(
    client, story, monkeypatch
):
    do_set_breaking_news(
        Site.objects.get(is_default_site=True),
        text="Floods close the motorway",
        link="/pakistan/",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    view(client, story)
    html, _ = view(client, story)
    assert "Floods close the motorway" in html
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    html, _ = view(client, story)
    assert "Floods close the motorway" not in html


def test_a_comment_does_not_rebuild_the_kept_page(client, story):
    view(client, story)
    view(client, story)
    make_comment(story, body="A second opinion.")
    html, queries = view(client, story)
    assert "A second opinion." in html
    assert queries == 3  # the shell was read, not rendered again


def test_what_the_kept_page_shows_is_rendered_again_when_it_changes(client, story):
    view(client, story)
    view(client, story)
    story.title = "Capital water plan approved"
    story.save_revision().publish()
    section = story.get_parent().specific
    section.title = "Pakistan and Kashmir"
    section.save_revision().publish()
    html, _ = view(client, ArticlePage.objects.get(pk=story.pk))
    assert "<h1" in html and "Capital water plan approved</h1>" in html
    assert "Pakistan and Kashmir</a>" in html


def test_a_new_picture_file_reaches_the_kept_page(client, story):
    view(client, story)
    before, _ = view(client, story)
    image = story.lead_image
    old = image.get_rendition("fill-480x270").url
    assert old in before
    # As the image editor does with a new file: its renditions go, the image is saved.
    replacement = make_image("Dam at dusk", colour=(200, 60, 20))
    image.renditions.all().delete()
    image.file = replacement.file
    image.save()
    html, _ = view(client, story)
    new = image.get_rendition("fill-480x270").url
    assert new != old
    assert new in html and old not in html


def test_an_embargo_hides_a_kept_page(client, story):
    view(client, story)
    view(client, story)
    # No tag retired: the embargo is read with the story, before anything kept.
    ArticlePage.objects.filter(pk=story.pk).update(
        embargo_until=timezone.now() + timedelta(hours=2)
    )
    assert client.get(story.url).status_code == 404


def test_a_page_of_comments_and_a_newsletter_link_read_the_kept_page(
    client, settings, story
):
    settings.DATELINE_COMMENTS_PER_PAGE = 2
    for number in range(5):
        make_comment(story, body=f"Comment number {number}.")
    view(client, story, "?cpage=2")
    html, queries = view(client, story, "?cpage=2")
    assert queries == 3
    assert "Comment number 2." in html and "Comment number 0." not in html
    # A parameter that selects nothing shares the kept page of the address without
    # it, and is never written into the page.
    plain, _ = view(client, story)
    html, queries = view(client, story, "?utm_source=news<b>letter</b>")
    assert queries == 3
    assert html == plain and "letter</b>" not in html


def test_a_process_that_has_not_compiled_the_template_renders_in_full(
    client, story, monkeypatch
):
    view(client, story)
    kept, kept_queries = view(client, story)
    monkeypatch.setattr(shells, "_HOLES", {})
    html, queries = view(client, story)
    assert html == kept
    assert queries > kept_queries
    _, queries = view(client, story)
    assert queries == kept_queries  # kept again, with the holes this build met


def test_the_code_version_moves_with_an_outlet_template(settings, tmp_path):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]},
        *settings.TEMPLATES[1:],
    ]
    (tmp_path / "base.html").write_text("<p>The outlet's layout</p>")
    before = shells.code_version.__wrapped__()
    assert shells.code_version.__wrapped__() == before
    (tmp_path / "base.html").write_text("<p>The outlet's new layout</p>")
    assert shells.code_version.__wrapped__() != before


def test_the_code_version_moves_with_a_new_stylesheet_and_a_setting(
    settings, monkeypatch
):
    from django.contrib.staticfiles.storage import staticfiles_storage

    names = {"dateline/css/site.css": "dateline/css/site.1a2b3c.css"}
    monkeypatch.setattr(staticfiles_storage, "hashed_files", names, raising=False)
    before = shells.code_version.__wrapped__()
    assert shells.code_version.__wrapped__() == before
    names["dateline/css/site.css"] = "dateline/css/site.4d5e6f.css"
    after_stylesheet = shells.code_version.__wrapped__()
    assert after_stylesheet != before
    settings.DATELINE_ADS_LABEL = "Sponsored content"
    assert shells.code_version.__wrapped__() != after_stylesheet


def test_nothing_is_kept_while_developing(client, settings, story):
    settings.DEBUG = True
    view(client, story)
    _, queries = view(client, story)
    assert queries > 3


def test_a_hole_whose_output_a_tag_rewrites_is_rendered_in_full(rf, settings):
    from django.template import engines

    settings.DATELINE_FRAGMENT_CACHE = True
    template = engines["django"].from_string(
        "{% load newsroom %}<p>{% filter cut:':' %}Kept {% per_view %}"
        "{{ count }}{% endper_view %}{% endfilter %}</p>"
    )
    request = rf.get("/")
    response = shells.KeptTemplateResponse(
        request, template, {"count": "3:1"}, shell_key="rewritten", tags=["page:1"]
    )
    assert response.render().content == b"<p>Kept 31</p>"
