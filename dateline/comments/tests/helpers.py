import time

from bs4 import BeautifulSoup
from django.core import signing
from wagtail.models import Site

from dateline.comments.forms import TICKET_SALT
from dateline.comments.models import CommentSettings

VALID = {
    "name": "Hina Baig",
    "email": "hina.private@readers.example",
    "website": "",
    "body": "Thank you for this report.",
}


def aged_ticket(seconds=60):
    """The ticket site.js would have fetched ``seconds`` ago."""
    return signing.dumps({"t": time.time() - seconds}, salt=TICKET_SALT)


def post(client, article, **fields):
    data = {**VALID, "ticket": aged_ticket(), **fields}
    return client.post(f"/comments/{article.pk}/post/", data)


def rules(**values):
    settings = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def form_error(response, field=None):
    page = soup(response)
    if field is None:
        node = page.select_one(".comment-form .form-errors")
    else:
        node = page.select_one(f"#id_{field}_error")
    return node.get_text(" ", strip=True) if node else None
