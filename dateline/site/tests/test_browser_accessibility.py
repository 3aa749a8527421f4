"""Every public page type, loaded in Chromium from a running server, passes axe-core
with no violation, and nothing it loads (stylesheets, scripts, pictures) is missing.
Playwright does not see the browser's own request for the icon: test_site_files.py
covers that."""

import pytest
from django.test import Client

from dateline.testing.browser import chromium
from dateline.testing.checkers import axe_violations
from dateline.testing.pages import build_outlet, fetch, public_pages, standalone_pages

pytestmark = [pytest.mark.browser]


@pytest.fixture
def outlet(live_server):
    return live_server, build_outlet()


@pytest.fixture
def browser(outlet):
    """Chromium, started after the database is set up and stopped before it is reset."""
    with chromium() as browser:
        yield browser


def answered_pages(outlet):
    """Pages a browser cannot simply open (a form's answer, a page served while the
    database is away), as the server renders them, by name."""
    client = Client()
    answers = {
        page.name: (page.status, fetch(client, page).content)
        for page in public_pages(outlet)
        if page.method != "get"
    }
    answers.update(
        (name, (status, html.encode()))
        for name, (status, html) in standalone_pages().items()
    )
    return answers


def answer(status, body):
    def fulfil(route, request):
        route.fulfill(status=status, body=body, content_type="text/html; charset=utf-8")

    return fulfil


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_public_page_type_has_no_axe_violation(browser, outlet):
    server, made = outlet
    # axe is injected as a script of the test's own, which the site's policy forbids.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    missing = []
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.request.resource_type != "document"
            and missing.append(f"{response.status} {response.url}")
        ),
    )
    found = {}
    for public in public_pages(made):
        if public.method != "get":
            continue
        response = page.goto(server.url + public.path)
        assert response.status == public.status, public
        found[public.name] = axe_violations(page)
    for name, (status, body) in answered_pages(made).items():
        # Served at an address of the site, so its stylesheet loads as it would.
        url = f"{server.url}/answered/{len(found)}/"
        page.route(url, answer(status, body))
        page.goto(url)
        found[name] = axe_violations(page)
    context.close()
    report = [
        f"{name}: {violation['id']} ({violation['help']})\n    "
        + "\n    ".join(violation["nodes"])
        for name, violations in found.items()
        for violation in violations
    ]
    assert not report, "\n".join(report)
    assert not missing
