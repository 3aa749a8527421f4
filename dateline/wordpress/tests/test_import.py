from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from dateline.comments.models import Comment
from dateline.comments.moderation import comments_open
from dateline.newsroom.models import (
    ArticlePage,
    Author,
    HomeTopStory,
    PlainPage,
    SectionPage,
)
from dateline.testing.factories import make_article, make_section
from dateline.wordpress.models import ImportedItem

from .helpers import make_uploads, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path):
    # An article already on the site whose slug the export's "Budget vote" wants.
    local = make_section("Local", slug="local")
    make_article(local, title="Budget vote", slug="budget-vote")
    uploads = make_uploads(tmp_path)
    out, report = run_import("--media-dir", str(uploads), tmp_path=tmp_path)
    return out, report


def article(wp_id):
    record = ImportedItem.objects.get(kind="post", key=str(wp_id))
    return ArticlePage.objects.get(pk=record.object_id)


def test_authors_and_terms(imported):
    nadia = Author.objects.get(slug="nadia")
    assert nadia.name == "Nadia Qureshi"
    assert Author.objects.get(slug="tomasr").name == "Tomás Rivera"
    local = SectionPage.objects.get(slug="local")
    river = SectionPage.objects.get(slug="river-towns")
    assert river.get_parent().pk == local.pk
    assert river.intro == "Stories from the towns along the river."
    assert Tag.objects.filter(slug="floods", name="Floods").exists()
    assert not nadia.user_id  # no accounts unless asked


def test_gutenberg_post_as_a_reader_sees_it(imported, client):
    story = article(100)
    assert story.live and story.section.slug == "river-towns"
    assert [s.slug for s in story.also_in.all()] == ["weather"]
    assert story.standfirst == "The water reached the mill steps before dawn."
    assert story.dateline_place == "Millbrook"
    assert story.first_published_at == datetime(2025, 10, 30, 7, 30, tzinfo=UTC)
    assert story.original_guid == "https://ledger.example/?p=100"
    assert story.lead_image.description == "Fishing boats at a stone quay"
    assert story.reading_minutes >= 1 and story.word_count > 20
    kinds = [block.block_type for block in story.body]
    assert kinds[:6] == [
        "paragraph",
        "subheading",
        "image",
        "paragraph",
        "blockquote",
        "pullquote",
    ]
    assert "embed" in kinds
    response = client.get(story.url)
    assert response.status_code == 200
    html = response.content.decode()
    page = BeautifulSoup(html, "html.parser")
    body = page.select_one(".story__body")
    assert body.select_one(".dateline").get_text().startswith("Millbrook")
    assert "The river rose two metres" in body.get_text()
    assert "Millbrook (Dateline) –" not in body.get_text().replace(
        body.select_one(".dateline").get_text(), ""
    )
    assert "Ferries stopped" in body.get_text()
    assert "The quay at first light" in body.get_text()
    assert "Left column: sandbags" in body.get_text()
    assert "Gauge | 4.2 m" in body.get_text()
    for bad in ("<script", "onclick", "<iframe", "steal()", "tracker.example"):
        assert bad not in str(body)
    assert "Water still rising." in " ".join(body.get_text().split())
    assert Tag.objects.get(slug="floods") in story.tags.all()
    assert HomeTopStory.objects.filter(article=story).exists()


def test_classic_post_shortcodes_and_pages_joined(imported, client):
    story = article(101)
    kinds = [block.block_type for block in story.body]
    assert kinds.count("image") == 2  # [caption] and [gallery]
    assert kinds.count("embed") == 2  # [embed] and the bare address
    assert comments_open(story) is False
    first = story.body[0].value.source
    assert "by nine.<br>" in first and "Passengers queued" in first
    html = client.get(story.url).content.decode()
    assert "The first boat out" in html
    assert "[poll id=&quot;7&quot;]" in html or '[poll id="7"]' in html
    assert "javascript:" not in html and "color:red" not in html
    assert "Page two of the story" in html
    assert "subheading" in kinds


def test_statuses(imported, client):
    draft = article(103)
    assert not draft.live and draft.latest_revision is not None
    pending = article(104)
    assert not pending.live and pending.has_unpublished_changes
    future = article(105)
    assert not future.live
    assert future.scheduled_revision.approved_go_live_at == datetime(
        2099, 6, 1, 9, 0, tzinfo=UTC
    )
    private = article(106)
    assert private.live
    assert PageViewRestriction.objects.get(page=private).restriction_type == "login"
    assert client.get(private.url).status_code == 302  # to the login page
    locked = article(107)
    restriction = PageViewRestriction.objects.get(page=locked)
    assert (restriction.restriction_type, restriction.password) == (
        "password",
        "lantern",
    )
    assert "lantern" not in client.get(locked.url).content.decode()
    assert not ImportedItem.objects.filter(kind="post", key="108").exists()


def test_non_latin_title_and_slug(imported, client):
    story = article(102)
    assert story.slug == "سیلاب"
    response = client.get(story.url)
    assert "دریا کے کنارے بازار" in response.content.decode()


def test_slug_collision_gets_a_new_slug(imported):
    _, report = imported
    story = article(109)
    assert story.slug == "budget-vote-2"
    assert ArticlePage.objects.filter(slug="budget-vote").count() == 1
    assert "slug budget-vote was taken; now budget-vote-2" in report


def test_pages(imported, client):
    about = PlainPage.objects.get(slug="about")
    team = PlainPage.objects.get(slug="team")
    assert team.get_parent().pk == about.pk
    html = client.get("/about/team/").content.decode()
    assert "Four reporters and a ferry." in html


def test_media(imported):
    _, report = imported
    image = get_image_model().objects.get(title="Harbour at dawn")
    assert image.description == "Fishing boats at a stone quay"
    assert get_document_model().objects.filter(title="Ferry timetable").exists()
    assert "missing media" in report and "lost.jpg" in report


def test_report_lists_what_changed(imported):
    out, report = imported
    assert "imported" in out and "post" in out
    assert "unknown shortcode kept as text: [poll]" in report
    assert "removed markup: <script>" in report
    assert "removed markup: onclick= attribute" in report
    assert "missing image" in report


def test_running_again_changes_nothing(imported, tmp_path):
    counts = {
        model: model.objects.count()
        for model in (ArticlePage, Comment, Author, SectionPage, Redirect, Tag)
    }
    revisions = article(100).revisions.count()
    uploads = tmp_path / "uploads"
    out, _ = run_import("--media-dir", str(uploads), tmp_path=tmp_path)
    assert counts == {model: model.objects.count() for model in counts}
    assert article(100).revisions.count() == revisions
    assert get_image_model().objects.filter(title="Harbour at dawn").count() == 1


def test_a_changed_export_updates(imported, tmp_path):
    from .helpers import EXPORT

    changed = tmp_path / "changed.xml"
    changed.write_text(
        EXPORT.read_text().replace(
            "River rises above the old mill", "River falls below the old mill"
        )
    )
    run_import(
        "--media-dir", str(tmp_path / "uploads"), export=changed, tmp_path=tmp_path
    )
    assert article(100).title == "River falls below the old mill"
    assert ArticlePage.objects.filter(title__startswith="River ").count() == 1


def test_create_users(tmp_path):
    from django.contrib.auth import get_user_model

    run_import("--create-users", tmp_path=tmp_path)
    user = get_user_model().objects.get(username="nadia")
    assert not user.has_usable_password()
    assert user.groups.filter(name="Contributors").exists()
    assert Author.objects.get(slug="nadia").user == user


def test_dry_run_writes_nothing(tmp_path):
    out, _ = run_import("--dry-run", tmp_path=tmp_path)
    assert "nothing was written" in out
    assert not ArticlePage.objects.exists()
    assert not ImportedItem.objects.exists()


def test_progress_per_phase_and_summary(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from .helpers import EXPORT

    out, err = StringIO(), StringIO()
    report = tmp_path / "r.txt"
    call_command(
        "import_wordpress", str(EXPORT), "--report", str(report), stdout=out, stderr=err
    )
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    phases = [line.split()[0] for line in lines]
    assert phases == ["terms", "authors", "media", "posts", "comments", "redirects"]
    assert "12/12" in err.getvalue() and "/s" in err.getvalue()
    table = out.getvalue().splitlines()
    assert table[0].split() == ["imported", "updated", "skipped", "failed"]
    assert "post" in [line.split()[0] for line in table[1:] if line.strip()]
    assert f"Report: {report}" in out.getvalue()


def test_the_import_leaves_the_database_statistics_current(imported):
    """Thousands of new stories change the best plan for a listing; the import
    gathers the database's statistics when it ends, not some time later."""
    from wagtail.models import Page

    from dateline.worker.tests.test_periodic import analysed_rows

    assert analysed_rows("wagtailcore_page") == Page.objects.count()


def test_the_sitemap_index_lists_the_months_the_stories_were_written_in(
    imported, client
):
    """The import dates each story as WordPress did, after publishing it: the
    sitemap index's months are recounted when it ends."""
    from dateline.syndication.queries import article_months, kept_months
    from dateline.testing.factories import home_page

    home = home_page()
    kept = [(row.month, row.count) for row in kept_months(home)]
    counted = [(row["month"].date(), row["count"]) for row in article_months(home)]
    assert kept == counted
    written = {f"{a.first_published_at:%Y-%m}" for a in ArticlePage.objects.live()}
    assert len(written) > 1
    index = client.get("/sitemap.xml").content.decode()
    for month in written - {f"{article(106).first_published_at:%Y-%m}"}:
        assert f"/sitemap-articles-{month}.xml" in index
