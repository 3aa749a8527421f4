import pytest
from bs4 import BeautifulSoup

from dateline.comments.models import Comment
from dateline.wordpress.models import ImportedItem

from .helpers import run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def output(tmp_path):
    out, _ = run_import(tmp_path=tmp_path)
    return out


def comment(wp_id):
    record = ImportedItem.objects.get(kind="comment", key=str(wp_id))
    return Comment.objects.get(pk=record.object_id)


def test_statuses_and_skips(output):
    assert comment(501).status == Comment.Status.APPROVED
    assert comment(502).status == Comment.Status.PENDING
    assert comment(504).status == Comment.Status.SPAM
    assert not ImportedItem.objects.filter(kind="comment", key="505").exists()
    assert not ImportedItem.objects.filter(kind="comment", key="506").exists()
    assert Comment.objects.count() == 5
    pingbacks = next(
        line for line in output.splitlines() if line.startswith("pingback")
    )
    assert pingbacks.split()[1:] == ["0", "0", "1", "0"]


def test_fields_kept(output):
    first = comment(501)
    assert first.name == "Ivo" and first.email == "ivo@readers.example"
    assert first.website == "https://ivo.example"
    assert first.ip_address == "198.51.100.7"
    assert first.created_at.isoformat() == "2025-10-30T08:00:00+00:00"
    assert first.body == "Our cellar is dry so far.\n\nThanks for the updates."
    assert comment(503).body == "Glad to hear it, Ivo."


def test_threads_as_a_reader_sees_them(output, client):
    article = comment(501).article.specific
    reply, second_reply = comment(503), comment(507)
    assert reply.parent_id == comment(501).pk and reply.depth == 2
    assert second_reply.parent_id == reply.pk
    assert second_reply.thread_root_id == comment(501).pk
    html = client.get(article.url).content.decode()
    page = BeautifulSoup(html, "html.parser")
    top = page.select_one(f"#comment-{comment(501).pk}")
    assert "Our cellar is" in top.select_one(".comment__body").get_text()
    assert top.select_one(f"#comment-{reply.pk}") is not None
    assert top.select_one(f"#comment-{second_reply.pk}") is not None
    for hidden in (
        "Waiting for a moderator",
        "Buy now",
        "ivo@readers.example",
        "198.51.100.7",
        "<script>alert(2)",
    ):
        assert hidden not in html


def test_comment_feed(output, client):
    article = comment(501).article
    response = client.get(f"/comments/{article.pk}/feed/")
    assert response.status_code == 200
    assert "Our cellar is" in response.content.decode()
    assert "Waiting for a moderator" not in response.content.decode()


def test_running_again_adds_no_comment(output, tmp_path):
    before = Comment.objects.count()
    out, _ = run_import(tmp_path=tmp_path)
    assert Comment.objects.count() == before
    line = next(line for line in out.splitlines() if line.startswith("comment"))
    assert line.split()[1] == "0"
