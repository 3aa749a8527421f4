import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.test import Client
from wagtail.models import Site

from dateline.comments.forms import TICKET_SALT
from dateline.comments.models import Comment, CommentSettings
from dateline.testing.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Hina Baig",
    "email": "hina.private@readers.example",
    "website": "https://hina.example/",
    "body": "Thank you for this report.\nWhen will the works start in G-9?",
}


def aged_ticket(seconds=60):
    """The ticket site.js would have fetched ``seconds`` ago."""
    import time

    return signing.dumps({"t": time.time() - seconds}, salt=TICKET_SALT)


@pytest.fixture
def article():
    return make_article(title="Water plan")


def post(client, article, **overrides):
    data = {**VALID, **overrides}
    return client.post(f"/comments/{article.pk}/post/", data)


def form_of(response):
    return BeautifulSoup(response.content, "html.parser").select_one(
        "form.comment-form"
    )


def error_at(form, field):
    node = form.select_one(f"#id_{field}_error")
    return node.get_text() if node else None


def test_form_shows_fields_labels_and_privacy_line(client, article):
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    form = soup.select_one("#respond")
    assert form.h3.get_text() == "Leave a Reply"
    notes = form.select_one(".comment-form__notes").get_text(" ", strip=True)
    assert (
        notes
        == "Your email address will not be published. Required fields are marked *"
    )
    labels = [
        " ".join(label.get_text().split())
        for label in form.select("label")
        if not label.find_parent(class_="field--trap")
    ]
    assert labels == [
        "Name *",
        "Email *",
        "Website",
        "Comment *",
        "Notify me of replies by e-mail",
        "Save my name, email, and website in this browser for the next time I comment.",
    ]
    # Offered only by site.js, which keeps the details; it is never sent.
    remember = form.select_one("#comment-remember")
    assert remember.find_parent("p").has_attr("hidden")
    assert not remember.has_attr("name")
    for field in ["name", "email", "website", "body"]:
        assert form.select_one(f"label[for=id_{field}]")
        assert form.select_one(f"#id_{field}")
    assert form.select_one("input[name=csrfmiddlewaretoken]") is None  # see origin.py


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("name", "Please enter your name."),
        ("email", "Please enter your email address."),
        ("body", "Please write a comment."),
    ],
)
def test_each_missing_required_field_gets_a_message_and_keeps_the_rest(
    client, article, field, message
):
    response = post(client, article, **{field: ""})
    assert response.status_code == 400
    form = form_of(response)
    assert error_at(form, field) == message
    for other in {"name", "email", "website"} - {field}:
        assert form.select_one(f"#id_{other}")["value"] == VALID[other]
    if field != "body":
        assert form.select_one("#id_body").get_text().strip() == VALID["body"]
    assert Comment.objects.count() == 0


def test_blank_form_marks_every_required_field(client, article):
    response = post(client, article, name=" ", email="", website="", body="   ")
    form = form_of(response)
    assert error_at(form, "name") and error_at(form, "email") and error_at(form, "body")
    assert error_at(form, "website") is None
    assert form.select_one("#id_name")["aria-invalid"] == "true"


def test_invalid_form_opens_on_a_summary_linking_to_each_field(client, article):
    response = post(client, article, name="", email="not-an-address", body="")
    assert response.status_code == 400
    form = form_of(response)
    # Without JavaScript the browser goes to the summary, and focuses it, by itself.
    assert form["action"].endswith("#comment-errors")
    summary = form.select_one(".error-summary")
    # First thing in the form after the note on required fields.
    assert summary.find_previous_sibling()["class"] == ["comment-form__notes"]
    assert summary["tabindex"] == "-1" and summary.has_attr("autofocus")
    assert summary.h4.get_text() == "Your comment was not posted"
    links = [(a["href"], a.get_text()) for a in summary.select("li a")]
    assert links == [
        ("#id_name", "Please enter your name."),
        ("#id_email", "Please enter a valid email address, like name@example.com."),
        ("#id_body", "Please write a comment."),
    ]
    for href, _message in links:
        assert form.select_one(href).name in {"input", "textarea"}


def test_a_form_without_errors_has_no_summary(client, article):
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select_one(".error-summary") is None
    assert soup.find(autofocus=True) is None


def test_invalid_email_and_website(client, article):
    response = post(
        client, article, email="not-an-address", website="javascript:alert(1)"
    )
    form = form_of(response)
    assert (
        error_at(form, "email")
        == "Please enter a valid email address, like name@example.com."
    )
    assert (
        error_at(form, "website")
        == "Please enter a full web address, like https://example.com."
    )
    assert form.select_one("#id_email")["value"] == "not-an-address"


@pytest.mark.parametrize(
    ("field", "limit"), [("name", 100), ("body", 5000), ("website", 200)]
)
def test_too_long_input_is_refused_with_a_message_not_cut(
    client, article, field, limit
):
    value = (
        "https://x.example/" + "a" * limit if field == "website" else "x" * (limit + 1)
    )
    response = post(client, article, **{field: value})
    assert response.status_code == 400
    assert "at most" in error_at(form_of(response), field)
    assert Comment.objects.count() == 0


def test_hostile_input_is_escaped_when_shown_again(client, article):
    response = post(client, article, name='<script>alert("n")</script>', email="")
    html = response.content.decode()
    assert '<script>alert("n")</script>' not in html
    assert "&lt;script&gt;" in html


def test_valid_comment_is_held_then_approved_then_shown(client, article):
    response = post(client, article)
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}?comment=pending#comment-status"
    comment = Comment.objects.get()
    assert (comment.status, comment.name, comment.email) == (
        Comment.Status.PENDING,
        "Hina Baig",
        "hina.private@readers.example",
    )
    assert comment.ip_address == "127.0.0.1"

    page = client.get(response["Location"]).content.decode()
    assert "Your comment is awaiting moderation" in page
    assert "When will the works start" not in page
    assert "0 Comments" in page

    editor = get_user_model().objects.create_user(
        "editor", password="pw", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(editor)
    queue = client.get("/admin/reader-comments/").content.decode()
    assert "When will the works start" in queue
    response = client.post(f"/admin/reader-comments/{comment.pk}/approve/")
    assert response.status_code == 302
    client.logout()

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == editor
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    shown = soup.select_one(f"#comment-{comment.pk}")
    assert shown.select_one(".comment__author a").get_text() == "Hina Baig"
    assert shown.select_one(".comment__author a")["href"] == "https://hina.example/"
    assert shown.select_one(".comment__author a")["rel"] == ["nofollow", "ugc"]
    assert str(shown.select_one(".comment__body p")) == (
        "<p>Thank you for this report.<br/>When will the works start in G-9?</p>"
    )
    assert "1 Comment" in soup.select_one(".comments__count").get_text()


def test_rejected_comment_never_shows(client, article):
    comment = make_comment(article, approved=False, body="Buy cheap watches")
    admin = get_user_model().objects.create_superuser("boss", password="pw")
    client.force_login(admin)
    client.post(f"/admin/reader-comments/{comment.pk}/trash/")
    client.logout()
    assert Comment.objects.get().status == Comment.Status.TRASH
    assert "cheap watches" not in client.get(article.url).content.decode()


def test_people_without_the_moderator_permission_cannot_moderate(client, article):
    comment = make_comment(article, approved=False)
    staff = get_user_model().objects.create_user("writer", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.post(f"/admin/reader-comments/{comment.pk}/approve/").status_code in (
        302,
        403,
    )
    assert client.get("/admin/reader-comments/").status_code in (302, 403)
    client.logout()
    assert (
        client.post(f"/admin/reader-comments/{comment.pk}/approve/").status_code == 302
    )
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_outlet_can_publish_comments_without_holding_them(client, article):
    rules = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    rules.moderation_mode = "publish"
    rules.save()
    response = post(client, article, ticket=aged_ticket())
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"] == f"{article.url}#comment-{comment.pk}"


def test_email_and_ip_never_appear_in_public_html(client, article):
    make_comment(
        article, email="secret.reader@readers.example", ip_address="203.0.113.9"
    )
    post(client, article)
    for path in [article.url, "/", "/world/", f"{article.url}?comment=pending"]:
        html = client.get(path).content.decode()
        assert "secret.reader" not in html and "hina.private" not in html
        assert "203.0.113.9" not in html
    html = post(client, article, body="").content.decode()
    assert "secret.reader" not in html


def test_posting_to_a_missing_or_draft_article_is_404(client):
    draft = make_article(publish=False)
    assert client.post(f"/comments/{draft.pk}/post/", VALID).status_code == 404
    assert client.post("/comments/999999/post/", VALID).status_code == 404
    assert client.get(f"/comments/{draft.pk}/post/").status_code == 405


def test_posts_from_another_site_are_refused_and_pages_carry_no_token(client, article):
    forged = client.post(
        f"/comments/{article.pk}/post/", VALID, HTTP_ORIGIN="https://evil.example"
    )
    assert forged.status_code == 403
    assert b"came from another site" in forged.content
    fetched = client.post(
        f"/comments/{article.pk}/post/", VALID, HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert fetched.status_code == 403
    assert Comment.objects.count() == 0
    own = client.post(
        f"/comments/{article.pk}/post/", VALID, HTTP_ORIGIN="http://testserver"
    )
    assert own.status_code == 302
    assert Comment.objects.count() == 1

    first, second = Client().get(article.url), Client().get(article.url)
    assert first.content == second.content
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert "Set-Cookie" not in first.headers and not first.cookies
    assert "Cookie" not in first.headers.get("Vary", "")
