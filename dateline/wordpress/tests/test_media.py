"""Attachments fetched from the old site (a real HTTP server here), and an export
split over several files in the older WXR 1.0 format."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from wagtail.images import get_image_model

from dateline.newsroom.models import ArticlePage
from dateline.wordpress.models import ImportedItem

from .helpers import EXPORT, make_uploads, run_import

pytestmark = pytest.mark.django_db


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def guess_type(self, path):
        # A site that answers a missing upload with its "not found" page.
        if str(path).endswith("lost.jpg"):
            return "text/html"
        return super().guess_type(path)


@pytest.fixture
def old_site(tmp_path):
    """The old site's wp-content/uploads served over HTTP; its base address."""
    uploads = make_uploads(tmp_path / "site" / "wp-content")
    (uploads / "2025" / "10" / "lost.jpg").write_text("<html>Not found</html>")
    handler = partial(Quiet, directory=str(tmp_path / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/wp-content/uploads/"
    server.shutdown()
    server.server_close()


def test_media_fetched_from_the_old_site(old_site, tmp_path):
    _, report = run_import("--media-url", old_site, tmp_path=tmp_path)
    image = get_image_model().objects.get(title="Harbour at dawn")
    assert image.width == 640 and image.description == "Fishing boats at a stone quay"
    record = ImportedItem.objects.get(kind="post", key="100")
    story = ArticlePage.objects.get(pk=record.object_id)
    assert story.lead_image_id == image.pk
    body_images = [b.value["image"].pk for b in story.body if b.block_type == "image"]
    assert image.pk in body_images
    # lost.jpg answers with a web page: refused by its content type, and reported.
    assert "lost.jpg answered with a web page" in report


def test_unreachable_old_site_is_reported_not_fatal(tmp_path):
    out, report = run_import(
        "--media-url", "http://127.0.0.1:9/uploads/", tmp_path=tmp_path
    )
    assert "missing media" in report
    assert ArticlePage.objects.filter(live=True).count() >= 5


def test_split_export_in_wxr_1_0(tmp_path):
    text = EXPORT.read_text()
    header, rest = text.split("<item>", 1)
    items, footer = ("<item>" + rest).rsplit("</item>", 1)
    chunks = [c + "</item>" for c in items.split("</item>")]
    folder = tmp_path / "export"
    folder.mkdir()
    old = header.replace("export/1.2/", "export/1.0/").replace(
        "<wp:wxr_version>1.2", "<wp:wxr_version>1.0"
    )
    (folder / "ledger.wordpress.2025-11-10.000.xml").write_text(
        old + "".join(chunks[:5]) + footer
    )
    (folder / "ledger.wordpress.2025-11-10.001.xml").write_text(
        old + "".join(chunks[5:]) + footer
    )
    run_import(
        "--media-dir", str(make_uploads(tmp_path)), export=folder, tmp_path=tmp_path
    )
    assert ImportedItem.objects.filter(kind="post").count() == 9
    assert ImportedItem.objects.filter(kind="page").count() == 2
    record = ImportedItem.objects.get(kind="post", key="101")
    story = ArticlePage.objects.get(pk=record.object_id)
    assert [b.block_type for b in story.body].count("image") == 2
