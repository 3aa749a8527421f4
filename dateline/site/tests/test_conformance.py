"""Every public page type passes the Nu HTML checker (the W3C validator) without an
error. The checker runs once over all the pages: Java starts slowly."""

import pytest

from dateline.testing.checkers import nu_errors
from dateline.testing.pages import build_outlet, fetch, public_pages, standalone_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered_pages(client, tmp_path):
    """Each public page type written to a file; the file names say which page."""
    outlet = build_outlet()
    files = {}
    for page in public_pages(outlet):
        response = fetch(client, page)
        assert response.status_code == page.status, page
        files[page.name] = response.content.decode()
    files.update((name, html) for name, (_, html) in standalone_pages().items())
    paths = {}
    for number, (name, html) in enumerate(files.items()):
        path = tmp_path / f"{number:02d}-{name.replace(' ', '-').replace(',', '')}.html"
        path.write_text(html, encoding="utf-8")
        paths[path] = name
    return paths


def test_every_public_page_type_has_no_nu_checker_error(rendered_pages):
    names = {path.name: name for path, name in rendered_pages.items()}
    report = [
        f"{names.get(error.get('url', '').rsplit('/', 1)[-1], error.get('url'))}, "
        f"line {error.get('lastLine')}: {error['message']}\n"
        f"    {error.get('extract', '')}"
        for error in nu_errors(sorted(rendered_pages))
    ]
    assert not report, "\n".join(report)
