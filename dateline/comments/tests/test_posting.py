"""What happens to a comment between the form and the page: policy, rules, defences."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from dateline.comments.backends import SPAM, SpamFilter, Verdict
from dateline.comments.models import Comment, CommenterBan, CommentPolicy
from dateline.newsroom.models import ArticlePage
from dateline.testing.factories import make_article, make_comment, make_section

from .helpers import VALID, form_error, post, rules, soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Water plan")


def stored():
    return list(Comment.objects.values_list("status", flat=True))


def test_default_policy_holds_every_comment(client, article):
    assert post(client, article).status_code == 302
    assert stored() == ["pending"]


def test_publish_mode_shows_comment_at_once(client, article):
    rules(moderation_mode="publish")
    response = post(client, article)
    comment = Comment.objects.get()
    assert comment.status == "approved"
    assert f"#comment-{comment.pk}" in response["Location"]
    assert "Thank you for this report." in client.get(article.url).content.decode()


def test_hold_first_time_commenters_only(client, article):
    rules(moderation_mode="hold_first")
    post(client, article)
    assert stored() == ["pending"]
    Comment.objects.update(status="approved")
    post(client, article, body="A second thought.")
    assert Comment.objects.get(body="A second thought.").status == "approved"
    post(client, article, email="new@readers.example", body="First time here.")
    assert Comment.objects.get(body="First time here.").status == "pending"


def test_section_and_article_override_the_site_mode(client):
    rules(moderation_mode="hold")
    section = make_section("Sport")
    section.comment_policy = [CommentPolicy(moderation="publish")]
    section.save_revision().publish()
    in_section = make_article(section)
    post(client, in_section)
    assert Comment.objects.get(article=in_section).status == "approved"

    strict = make_article(section)
    strict.comment_policy = [CommentPolicy(moderation="hold")]
    strict.save_revision().publish()
    post(client, strict)
    assert Comment.objects.get(article=strict).status == "pending"


def test_without_the_page_ticket_a_comment_is_held_even_when_publishing(
    client, article
):
    rules(moderation_mode="publish")
    post(client, article, ticket="")
    comment = Comment.objects.get()
    assert comment.status == "pending"
    assert "ticket" in comment.hold_reason


def test_posting_seconds_after_opening_the_page_is_refused_with_form_kept(
    client, article
):
    from .helpers import aged_ticket

    response = post(client, article, ticket=aged_ticket(seconds=1))
    assert response.status_code == 400
    assert "That was quick" in form_error(response)
    assert soup(response).select_one("#id_name")["value"] == VALID["name"]
    assert stored() == []


def test_ticket_endpoint_gives_a_fresh_uncached_ticket(client):
    response = client.get("/comments/ticket/")
    assert response.status_code == 200
    assert (
        "no-cache" in response["Cache-Control"]
        or "no-store" in response["Cache-Control"]
    )
    assert response.json()["ticket"]


def test_honeypot_is_dropped_quietly(client, article):
    response = post(client, article, homepage="http://spam.example")
    assert response.status_code == 302
    assert stored() == []


def test_same_comment_twice_is_stored_once(client, article):
    post(client, article)
    post(client, article, body="  Thank you for this   report. ")
    assert Comment.objects.count() == 1


@override_settings(DATELINE_COMMENTS_RATE_PER_IP=(2, 60))
def test_rate_limit_per_ip_answers_429_with_retry_after_and_keeps_the_text(
    client, article
):
    post(client, article, body="one")
    post(client, article, body="two", email="b@readers.example")
    response = post(client, article, body="three, kept", email="c@readers.example")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "faster than this site allows" in form_error(response)
    assert soup(response).select_one("#id_body").get_text().strip() == "three, kept"
    assert Comment.objects.count() == 2


@override_settings(DATELINE_COMMENTS_RATE_PER_EMAIL=(1, 3600))
def test_rate_limit_per_email(client, article):
    post(client, article, body="one")
    response = post(client, article, body="two", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("setting", "value", "fields", "status", "reason"),
    [
        (
            "blocked_words",
            "casino\nloans",
            {"body": "Cheap loans here"},
            "spam",
            "loans",
        ),
        (
            "held_words",
            "lawsuit",
            {"body": "A lawsuit is coming"},
            "pending",
            "lawsuit",
        ),
        (
            "blocked_emails",
            "bad@spam.example",
            {"email": "bad@spam.example"},
            "spam",
            "",
        ),
        ("blocked_emails", "spam.example", {"email": "x@spam.example"}, "spam", ""),
        ("blocked_ips", "127.0.0.0/8", {}, "spam", "IP"),
    ],
)
def test_site_rules(client, article, setting, value, fields, status, reason):
    rules(moderation_mode="publish", **{setting: value})
    assert post(client, article, **fields).status_code == 302
    comment = Comment.objects.get()
    assert comment.status == status
    assert reason in comment.hold_reason


def test_too_many_links_are_held(client, article):
    rules(moderation_mode="publish", max_links=1)
    post(client, article, body="See https://a.example and https://b.example")
    assert Comment.objects.get().hold_reason == "2 links"


def test_banned_commenter_is_told_and_keeps_their_text(client, article):
    CommenterBan.objects.create(email="Hina.Private@readers.example")
    response = post(client, article)
    assert response.status_code == 403
    assert "can no longer comment" in form_error(response)
    assert soup(response).select_one("#id_body").get_text().strip() == VALID["body"]
    assert stored() == []
    CommenterBan.objects.update(until=timezone.now() - timedelta(days=1))
    assert post(client, article).status_code == 302


class AlwaysSpam(SpamFilter):
    def check(self, submission):
        return Verdict(SPAM, "custom filter")


@override_settings(
    DATELINE_COMMENTS_SPAM_BACKENDS=[
        "dateline.comments.backends.rules.RulesFilter",
        "dateline.comments.tests.test_posting.AlwaysSpam",
    ]
)
def test_spam_backends_are_pluggable(client, article):
    post(client, article)
    assert Comment.objects.get().hold_reason == "custom filter"
    assert stored() == ["spam"]


def test_akismet_backend_is_off_without_a_key_and_asks_akismet_with_one(
    article, monkeypatch, settings
):
    from dateline.comments.backends.akismet import AkismetFilter
    from dateline.comments.backends.base import Submission

    submission = Submission(article=article, name="n", email="e@x.example", body="b")
    assert AkismetFilter().check(submission) is None

    class FakeAkismet:  # Akismet is a third-party service: not called from tests
        def comment_check(self, **fields):
            return fields["comment_content"] == "buy now"

    settings.DATELINE_AKISMET_KEY = "test-key"
    monkeypatch.setattr(AkismetFilter, "client", lambda self: FakeAkismet())
    assert AkismetFilter().check(submission) is None
    submission.body = "buy now"
    assert AkismetFilter().check(submission).action == "spam"


def test_comments_close_after_the_site_setting(client, article):
    rules(close_after_days=30)
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(days=31)
    )
    page = soup(client.get(article.url))
    assert page.select_one(".comments__closed").get_text() == "Comments are closed."
    assert page.select_one("form.comment-form") is None
    response = post(client, article)
    assert response.status_code == 403
    assert stored() == []


def test_editor_can_close_one_article(client, article):
    article.comment_policy = [CommentPolicy(comments_open=False)]
    article.save_revision().publish()
    assert b"Comments are closed." in client.get(article.url).content
    assert post(client, article).status_code == 403


def test_replies_thread_and_stop_at_the_maximum_depth(client, article):
    rules(moderation_mode="publish")
    top = make_comment(article, body="Top")
    post(client, article, parent=top.pk, body="Depth two", email="2@r.example")
    two = Comment.objects.get(body="Depth two")
    post(client, article, parent=two.pk, body="Depth three", email="3@r.example")
    three = Comment.objects.get(body="Depth three")
    post(client, article, parent=three.pk, body="Would be four", email="4@r.example")
    four = Comment.objects.get(body="Would be four")
    assert (two.depth, three.depth, four.depth) == (2, 3, 3)
    assert four.parent_id == two.pk  # beside its parent, at the deepest level
    assert {two.thread_root_id, three.thread_root_id, four.thread_root_id} == {top.pk}

    page = soup(client.get(article.url))
    nested = page.select_one(f"#comment-{top.pk} .comment-replies #comment-{two.pk}")
    assert nested.select_one(f".comment-replies #comment-{three.pk}")


def test_reply_link_opens_the_form_for_that_comment_without_javascript(client, article):
    top = make_comment(article, name="Zara")
    page = soup(client.get(article.url))
    link = page.select_one(f"#comment-{top.pk} a.comment__reply")
    response = client.get(article.url + link["href"].split("#")[0])
    form = soup(response).select_one("#respond")
    assert "Reply to Zara" in form.h3.get_text()
    assert form.select_one("input[name=parent]")["value"] == str(top.pk)


def test_reply_to_a_comment_of_another_article_is_refused(client, article):
    elsewhere = make_comment(make_article())
    response = post(client, article, parent=elsewhere.pk)
    assert response.status_code == 400
    assert "not available" in form_error(response)
    assert Comment.objects.filter(article=article).count() == 0


def test_comment_text_is_plain_with_links_and_paragraphs(client, article):
    body = "First line <b>not bold</b>\n\nSee https://example.org/a?b=1&c=2 now"
    make_comment(article, body=body)
    html = soup(client.get(article.url)).select_one(".comment__body")
    paragraphs = html.find_all("p")
    assert paragraphs[0].get_text() == "First line <b>not bold</b>"
    assert html.find("b") is None
    link = paragraphs[1].a
    assert link["href"] == "https://example.org/a?b=1&c=2"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]


def test_names_are_normalised(client, article):
    rules(moderation_mode="publish")
    post(client, article, name="Cafe\u0301 \u202eevil\u202c  \x07Name")
    assert Comment.objects.get().name == "Café evil Name"


def test_order_and_pagination_of_long_threads(client, article, settings):
    settings.DATELINE_COMMENTS_PER_PAGE = 2
    for n in range(5):
        make_comment(article, body=f"Comment {n}")
    first = soup(client.get(article.url))
    assert [p.get_text() for p in first.select(".comment__body p")] == [
        "Comment 0",
        "Comment 1",
    ]
    assert "5 Comments" in first.select_one(".comments__count").get_text()
    newest = soup(client.get(article.url + "?corder=newest"))
    assert newest.select_one(".comment__body p").get_text() == "Comment 4"
    last = soup(client.get(article.url + "?cpage=3"))
    assert [p.get_text() for p in last.select(".comment__body p")] == ["Comment 4"]


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("?cpage=abc", ["Comment 0", "Comment 1"]),  # not a number: the first page
        ("?cpage=-4", ["Comment 4"]),  # out of range: the last page
        ("?cpage=999", ["Comment 4"]),
        ("?cpage=2&corder=newest", ["Comment 2", "Comment 1"]),
        ("?corder=<script>", ["Comment 0", "Comment 1"]),
        ("?replytocom=x'", ["Comment 0", "Comment 1"]),
    ],
)
def test_junk_in_the_comment_page_parameters_shows_a_page(
    client, article, settings, query, shown
):
    settings.DATELINE_COMMENTS_PER_PAGE = 2
    for n in range(5):
        make_comment(article, body=f"Comment {n}")
    response = client.get(article.url + query)
    assert response.status_code == 200
    page = soup(response)
    assert [p.get_text() for p in page.select(".comment__body p")] == shown
    assert query not in response.content.decode()  # never echoed back unescaped
