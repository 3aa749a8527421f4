"""The newsroom's day-to-day in the admin: a writer's own byline on a new story,
author slugs, embargoed stories named as such, the desk's dashboard and the
breaking-news banner's story link and expiry."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Site

from dateline.newsroom.actions import (
    do_schedule_article,
    do_submit_article_for_review,
)
from dateline.newsroom.models import ArticlePage, Author, BreakingNews
from dateline.newsroom.tasks import refresh_expired_banners
from dateline.testing.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def user_in(role, username, **fields):
    user = get_user_model().objects.create_user(username, password="pw", **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def embargoed(title="Budget figures", hours=5):
    article = make_article(title=title)
    until = timezone.now() + timedelta(hours=hours)
    ArticlePage.objects.filter(pk=article.pk).update(embargo_until=until)
    return ArticlePage.objects.get(pk=article.pk)


def test_a_reporters_first_story_starts_with_their_own_new_byline(client):
    section = make_section("World")
    make_author("Someone Else")
    reporter = user_in(
        "Reporters", "amna", first_name="Amna", last_name="Riaz", email="a@n.example"
    )
    client.force_login(reporter)
    page = soup(
        client.get(f"/admin/pages/add/dateline_newsroom/articlepage/{section.pk}/")
    )
    profile = Author.objects.get(user=reporter)
    assert (profile.name, profile.slug, profile.email) == (
        "Amna Riaz",
        "amna-riaz",
        "a@n.example",
    )
    chosen = page.select_one("select[name='bylines-0-author'] option[selected]")
    assert chosen.get_text() == "Amna Riaz"
    # A second story uses the same profile.
    client.get(f"/admin/pages/add/dateline_newsroom/articlepage/{section.pk}/")
    assert Author.objects.filter(user=reporter).count() == 1
    # Readers meet the profile with its first published story, not before.
    client.logout()
    assert "Amna Riaz" not in client.get("/authors/").content.decode()
    make_article(section, authors=[profile])
    assert "Amna Riaz" in client.get("/authors/").content.decode()


def test_an_authors_slug_is_made_from_the_name_when_left_empty(client):
    client.force_login(get_user_model().objects.create_superuser("boss", "", "pw"))
    make_author("Lina Chen", slug="lina-chen")
    form = soup(client.get("/admin/snippets/dateline_newsroom/author/add/"))
    name = form.select_one("input[name='name']")
    assert "w-sync" in name["data-controller"]
    assert name["data-w-sync-target-value"] == "#id_slug"
    assert "w-slug" in form.select_one("input[name='slug']")["data-controller"]
    response = client.post(
        "/admin/snippets/dateline_newsroom/author/add/",
        {"name": "Lina Chen", "slug": ""},
    )
    assert response.status_code == 302
    assert Author.objects.filter(name="Lina Chen").count() == 2
    assert Author.objects.filter(slug="lina-chen-2").exists()


def test_embargoed_story_is_never_called_live_in_the_admin(client):
    client.force_login(get_user_model().objects.create_superuser("boss", "", "pw"))
    article = embargoed()
    label = article.embargo_label()
    assert label.startswith("EMBARGOED until ")

    listing = soup(client.get(f"/admin/pages/{article.get_parent().pk}/"))
    row = next(
        tr for tr in listing.select("tbody tr") if "Budget figures" in tr.get_text()
    )
    assert label in row.get_text(" ", strip=True)
    assert "live" not in row.select_one(".w-status").get_text(strip=True).lower()

    editor = soup(client.get(f"/admin/pages/{article.pk}/edit/"))
    header = editor.select_one("header").get_text(" ", strip=True)
    assert label in header
    panel = editor.select_one("[data-side-panel='status']").get_text(" ", strip=True)
    assert label in panel
    assert "Live" not in panel.split()

    dashboard = soup(client.get("/admin/")).select_one("#news-desk-section")
    assert label in dashboard.get_text(" ", strip=True)


def test_dashboard_lists_reviews_schedules_and_embargoes_with_their_times(client):
    editor = user_in("Editors", "esme")
    reporter = user_in("Reporters", "riz")
    review = make_article(title="Flood inquiry", publish=False)
    review.save_revision(user=reporter)
    do_submit_article_for_review(review, user=reporter)
    later = timezone.now() + timedelta(days=1)
    do_schedule_article(make_article(title="Election preview", publish=False), later)
    embargoed("Census results")
    client.force_login(editor)
    panel = soup(client.get("/admin/")).select_one("#news-desk-section")
    text = panel.get_text(" ", strip=True)
    assert "Awaiting your review (1)" in text and "Flood inquiry" in text
    assert "Scheduled (1)" in text and "Election preview" in text
    shown = panel.select_one("#news-desk-scheduled ~ ul time")["datetime"]
    assert shown == timezone.localtime(later).replace(microsecond=0).isoformat()
    assert "Census results" in text
    # Wagtail's own review panel, which costs queries per story, is gone.
    assert "Awaiting your review" not in text.replace("Awaiting your review (1)", "")


def test_dashboard_queries_stay_flat_as_stories_wait(client, django_assert_num_queries):
    editor = user_in("Editors", "esme")
    reporter = user_in("Reporters", "riz")

    def add_one_of_each(n):
        story = make_article(title=f"Review {n}", publish=False)
        story.save_revision(user=reporter)
        do_submit_article_for_review(story, user=reporter)
        later = timezone.now() + timedelta(days=n + 1)
        do_schedule_article(make_article(title=f"Later {n}", publish=False), later)
        embargoed(f"Embargo {n}")

    add_one_of_each(0)
    client.force_login(editor)
    client.get("/admin/")  # content types and settings read once
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/admin/")
    for n in range(1, 5):
        add_one_of_each(n)
    with django_assert_num_queries(len(few)):
        response = client.get("/admin/")
    assert "Review 4" in response.content.decode()


def banner(**fields):
    setting = BreakingNews.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(setting, name, value)
    setting.save()
    return setting


def test_banner_links_to_the_chosen_story_before_any_other_link(client):
    story = make_article(title="Quake latest")
    banner(text="Quake felt in the north", link_page=story, link="/elsewhere/")
    link = soup(client.get("/")).select_one(".breaking a")
    assert link["href"] == story.url
    story.unpublish()
    link = soup(client.get("/")).select_one(".breaking a")
    assert link["href"] == "/elsewhere/"


def test_banner_without_expiry_stays(client):
    banner(text="Polls are open", expires_at=None)
    assert "Polls are open" in client.get("/").content.decode()


def test_banner_leaves_cached_pages_when_it_expires(client, settings):
    settings.DATELINE_PAGE_CACHE = True
    settings.DATELINE_FRAGMENT_CACHE = True
    soon = timezone.now() + timedelta(minutes=5)
    setting = banner(text="Storm warning", expires_at=soon)
    assert "Storm warning" in client.get("/").content.decode()
    # Time passes: the expiry comes without anyone saving the setting.
    passed = timezone.now() - timedelta(seconds=1)
    BreakingNews.objects.filter(pk=setting.pk).update(expires_at=passed)
    stored = client.get("/")
    assert stored["X-Page-Cache"] == "hit"
    assert refresh_expired_banners(now=timezone.now()) == 1
    fresh = client.get("/")
    assert "Storm warning" not in fresh.content.decode()
    assert refresh_expired_banners() == 0


def test_banner_form_offers_a_story_chooser(client):
    client.force_login(get_user_model().objects.create_superuser("boss", "", "pw"))
    site = Site.objects.get(is_default_site=True)
    form = soup(
        client.get(f"/admin/settings/dateline_newsroom/breakingnews/{site.pk}/")
    )
    assert form.select_one("input[name='link_page']") is not None
    assert "Only when the banner links somewhere other than a story" in form.text


def test_the_worker_looks_for_expired_banners_as_often_as_for_schedules():
    from dateline.worker.periodic import declared

    jobs = {job.name: job for job in declared()}
    assert jobs["expire-breaking-news"].every == jobs["publish-scheduled"].every
