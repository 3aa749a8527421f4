import io

import pytest
from django.core.management import CommandError, call_command

from dateline.ads.models import HouseAd
from dateline.comments.models import Comment
from dateline.newsroom.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_the_demo_outlet_loads_once_with_its_comments_and_house_ad(client):
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert "Demo content loaded." in out.getvalue()
    article = ArticlePage.objects.live().order_by("pk").first()
    assert client.get(article.url).status_code == 200
    assert Comment.objects.approved().exists()
    assert HouseAd.objects.get().image_id is not None

    count = ArticlePage.objects.count()
    call_command("load_demo_content", if_empty=True, stdout=out)
    assert "keeping them" in out.getvalue()
    with pytest.raises(CommandError, match="already has articles"):
        call_command("load_demo_content", stdout=out)
    assert ArticlePage.objects.count() == count


def test_the_demo_has_a_live_page_with_pinned_and_key_entries(client):
    from bs4 import BeautifulSoup

    call_command("load_demo_content", stdout=io.StringIO())
    page = BeautifulSoup(
        client.get("/pakistan/monsoon-flooding-live/").content, "html.parser"
    )
    assert "What we know so far" in page.select_one(".live__pinned").get_text()
    assert len(page.select(".live__key-events li")) == 2
    assert len(page.select(".live__entries .live-entry")) == 5
