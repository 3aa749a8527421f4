"""Every public page type of a realistic outlet, for checks that read them all (the Nu
HTML checker, axe-core, security headers).

The outlet is the demo's, plus what the demo lacks: a story without standfirst,
pictures or comments, an embargoed story, a topic page and a sidebar ad placement, so
every kind of slot shows up beside the content.
"""

import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from dateline.ads.actions import do_create_placement
from dateline.comments.models import Comment
from dateline.newsroom.models import ArticlePage, Author, SectionPage, TopicPage

from .factories import home_page, make_article, paragraph_blocks
from .tasks import run_tasks

URDU_STORY = "/pakistan/lahore-mohalla-library/"
LEAD_STORY = "/pakistan/capital-water-plan/"
LIVE_PAGE = "/pakistan/monsoon-flooding-live/"


@dataclass(frozen=True)
class PublicPage:
    """One page type: how to ask for it and the status a reader gets."""

    name: str
    path: str
    status: int = 200
    method: str = "get"
    data: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


def build_outlet():
    """The demo outlet with every page type's variants; what it made, by name."""
    from dateline.demo.loader import DemoLoader

    DemoLoader(io.StringIO()).load()
    do_create_placement("sidebar", "sidebar", 300, 600, name="Sidebar")
    section = SectionPage.objects.get(slug="pakistan")
    plain = make_article(
        section,
        title="Council approves new bus routes",
        standfirst="",
        slug="council-bus-routes",
        authors=[Author.objects.get(slug="ayesha-qureshi")],
        body=paragraph_blocks(10, words_each=40),
    )
    embargoed = make_article(
        section,
        title="Budget figures under embargo",
        slug="budget-embargo",
        embargo_until=timezone.now() + timedelta(days=1),
    )
    topic = TopicPage(
        title="Water in the capital",
        slug="water-in-the-capital",
        intro="Every story on the capital's water.",
        tag=ArticlePage.objects.get(slug="capital-water-plan").tags.get(slug="water"),
    )
    home_page().add_child(instance=topic)
    topic.save_revision().publish()
    run_tasks()  # search's index, as the worker keeps it
    return {"plain": plain, "embargoed": embargoed, "topic": topic}


def public_pages(outlet) -> list[PublicPage]:
    """The pages a reader can reach, as paths on the site ``build_outlet`` made."""
    lead = ArticlePage.objects.get(slug="capital-water-plan")
    comment = Comment.objects.filter(article=lead).first()
    author = Author.objects.get(slug="ayesha-qureshi")
    same_origin = {"Origin": "http://testserver"}
    return [
        PublicPage("home", "/"),
        PublicPage("section", "/pakistan/"),
        PublicPage("article", LEAD_STORY),
        PublicPage("article, no standfirst, images or comments", outlet["plain"].url),
        PublicPage("Urdu article", URDU_STORY),
        PublicPage("live page", LIVE_PAGE),
        PublicPage("live page, older entries", f"{LIVE_PAGE}?before=3"),
        PublicPage("topic", outlet["topic"].url),
        PublicPage("tag", "/tags/water/"),
        PublicPage("author", f"/authors/{author.slug}/"),
        PublicPage("authors", "/authors/"),
        PublicPage("corrections", "/corrections/"),
        PublicPage("plain page", "/about/"),
        PublicPage("search", "/search/?q=water"),
        PublicPage("search without results", "/search/?q=zzzzqqq"),
        PublicPage("comment report", f"/comments/report/{comment.pk}/"),
        PublicPage(
            "comment error",
            f"/comments/{lead.pk}/post/",
            status=400,
            method="post",
            data={"name": "", "email": "not-an-address", "body": ""},
            headers=same_origin,
        ),
        PublicPage(
            "comment refused",
            f"/comments/{lead.pk}/post/",
            status=403,
            method="post",
            data={"name": "A", "email": "a@example.com", "body": "Hello"},
            headers={"Origin": "https://elsewhere.example"},
        ),
        PublicPage("reply notifications link", "/comments/notify/confirm/x/", 400),
        PublicPage("not found", "/no-such-page/", 404),
        PublicPage("embargoed article", outlet["embargoed"].url, 404),
    ]


def standalone_pages() -> dict[str, tuple[int, str]]:
    """Pages rendered without the database (as served when it fails or is
    unreachable): their status and HTML, by name."""
    fields = {"name": "Zainab", "email": "", "website": "", "body": "A comment"}
    post = RequestFactory().post("/comments/1/post/")
    return {
        "server error": (500, render_to_string("500.html")),
        "unavailable": (503, render_to_string("503.html")),
        "comment unavailable": (
            503,
            render_to_string("comments/unavailable.html", {"fields": fields}, post),
        ),
    }


def fetch(client, page: PublicPage):
    """The response to ``page`` from Django's test client."""
    send = getattr(client, page.method)
    return send(page.path, page.data or None, headers=page.headers)
