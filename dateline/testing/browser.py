"""Chromium for browser tests: Debian's build, driven by Playwright."""

import os
import shutil
from contextlib import contextmanager

import pytest
from django.db import connections

CHROMIUM = os.environ.get("DATELINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright's synchronous API runs an event loop in the test's thread; the ORM calls a
# test makes between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@contextmanager
def chromium():
    """A headless Chromium; skipped when missing unless DATELINE_REQUIRE_BROWSER is set.

    Start it after the test database is set up and let it end before the database is
    reset: Playwright's loop changes which connection the ORM sees, and those
    connections are closed here.
    """
    if not shutil.which(CHROMIUM):
        if os.environ.get("DATELINE_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required but not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


# Every staff account a browser test makes signs in with this password.
PASSWORD = "a-test-password-9"


def make_staff(username, *groups, **fields):
    """An account in the named groups (the roles the apps' migrations make)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username, password=PASSWORD, **fields)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def log_in(browser, base, username, width=1280, height=900):
    """A new browser page signed in to the admin at ``base``, on the dashboard."""
    import re

    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return page
