"""The article body is rendered once and kept (``newsroom.body``): readers see each
new revision, a change of the sanitiser's rules or of the block templates, and an
editor's preview shows the draft, never the kept HTML."""

import pytest

from dateline.newsroom import blocks, body
from dateline.newsroom.actions import do_publish_article
from dateline.testing.factories import make_article, make_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept(settings):
    """The fragment cache on, as in production; a fresh process's code version."""
    settings.DATELINE_FRAGMENT_CACHE = True
    body.code_version.cache_clear()
    yield
    body.code_version.cache_clear()


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def story_body(client, article) -> str:
    response = client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('class="story__body"') : html.index("</article>")]


def test_a_new_revision_is_shown_at_once(client):
    article = make_article(body=[paragraph("The council met on Monday.")])
    assert "The council met on Monday." in story_body(client, article)

    article.body = [paragraph("The council met on Tuesday.")]
    do_publish_article(article)

    html = story_body(client, article)
    assert "The council met on Tuesday." in html
    assert "Monday" not in html


def test_the_dateline_opens_the_first_paragraph_once(client):
    article = make_article(
        body=[paragraph("First."), paragraph("Second.")], dateline_place="Quetta"
    )
    for _ in range(2):
        html = story_body(client, article)
        assert html.count('<span class="dateline">') == 1
        assert '<p><span class="dateline">Quetta' in html


def test_a_stricter_sanitiser_applies_to_stories_stored_before_it(client, monkeypatch):
    article = make_article(body=[paragraph("A <b>bold</b> claim.")])
    assert "<b>bold</b>" in story_body(client, article)

    monkeypatch.setattr(blocks, "_ALLOWED_TAGS", blocks._ALLOWED_TAGS - {"b"})
    body.code_version.cache_clear()  # as a deploy's new processes start

    html = story_body(client, article)
    assert "<b>" not in html and "A bold claim." in html


def test_a_changed_block_template_is_used_after_a_deploy(client, settings, tmp_path):
    article = make_article(
        body=[paragraph("Intro."), {"type": "subheading", "value": "What next"}]
    )
    assert '<h2 class="story__subheading">What next</h2>' in story_body(client, article)

    override = tmp_path / "newsroom" / "blocks" / "subheading.html"
    override.parent.mkdir(parents=True)
    override.write_text('<h2 class="story__crosshead">{{ value }}</h2>')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    body.code_version.cache_clear()

    html = story_body(client, article)
    assert '<h2 class="story__crosshead">What next</h2>' in html
    assert "story__subheading" not in html


def test_a_new_picture_in_place_of_the_old_is_shown(client):
    image = make_image("Dam")
    article = make_article(
        body=[
            paragraph("Intro."),
            {"type": "image", "value": {"image": image.pk, "caption": "The dam"}},
        ]
    )
    before = story_body(client, article)
    first = image.get_rendition("width-480").url
    assert first in before

    image.renditions.all().delete()
    image.file.save("second.jpg", make_image("Other").file, save=True)

    after = story_body(client, article)
    assert first not in after
    assert image.get_rendition("width-480").url in after


def test_preview_shows_the_draft_not_the_published_body(client, admin_client):
    article = make_article(body=[paragraph("As published.")])
    assert "As published." in story_body(client, article)

    article.body = [paragraph("As drafted.")]
    revision = article.save_revision()
    preview = admin_client.get(
        f"/admin/pages/{article.pk}/revisions/{revision.pk}/view/"
    ).content.decode()

    assert "As drafted." in preview and "As published." not in preview
    html = story_body(client, article)
    assert "As published." in html and "As drafted." not in html
