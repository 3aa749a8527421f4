"""The "Report a comment" page as a reader sees it."""

import pytest

from dateline.comments.models import CommentReport
from dateline.testing.factories import make_article, make_comment

from .helpers import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment():
    return make_comment(make_article(title="Trade fair"), name="Ayesha Rahman")


def report_url(comment):
    return f"/comments/report/{comment.pk}/"


def test_report_page_names_the_commenter(client, comment):
    page = soup(client.get(report_url(comment)))
    intro = page.select_one(".narrow > p").get_text(" ", strip=True)
    assert intro == "On “Trade fair”, by Ayesha Rahman:"


def test_no_reason_is_chosen_for_the_reader(client, comment):
    page = soup(client.get(report_url(comment)))
    radios = page.select("input[name=reason]")
    assert [radio["value"] for radio in radios] == [
        "spam",
        "abuse",
        "personal",
        "off_topic",
        "other",
    ]
    assert not any(radio.has_attr("checked") for radio in radios)
    assert "---------" not in str(page)


def test_sending_without_a_reason_asks_for_one_and_keeps_the_details(client, comment):
    response = client.post(report_url(comment), {"detail": "Rude to another reader"})
    assert response.status_code == 400
    page = soup(response)
    fieldset = page.select_one("fieldset.field--error")
    assert fieldset.select_one(".field__error").get_text() == "Please choose a reason."
    detail = page.select_one("textarea[name=detail]").get_text()
    assert detail.strip() == "Rude to another reader"
    assert not page.select("input[name=reason][checked]")
    assert not CommentReport.objects.exists()


def test_an_unknown_reason_is_refused_at_the_field(client, comment):
    response = client.post(report_url(comment), {"reason": "nonsense", "detail": "x"})
    assert response.status_code == 400
    error = soup(response).select_one("fieldset.field--error .field__error")
    assert error.get_text() == "Please choose one of the reasons listed."
    assert not CommentReport.objects.exists()


def test_a_chosen_reason_stays_chosen_when_the_details_are_refused(client, comment):
    response = client.post(report_url(comment), {"reason": "spam", "detail": "x" * 501})
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("input[name=reason][value=spam]").has_attr("checked")
    assert page.select_one("textarea[name=detail] ~ .field__error")


def test_a_report_with_a_reason_is_stored(client, comment):
    response = client.post(report_url(comment), {"reason": "personal", "detail": ""})
    assert response.status_code == 200
    assert b"Thank you for your report" in response.content
    assert CommentReport.objects.get().reason == "personal"
