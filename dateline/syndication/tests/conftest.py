import pytest
from wagtail.models import Site

from dateline.newsroom.models import OutletSettings


@pytest.fixture
def outlet(db):
    outlet = OutletSettings.for_site(Site.objects.get(is_default_site=True))
    outlet.name = "The Dateline Gazette"
    outlet.tagline = "Independent reporting"
    outlet.save()
    return outlet


@pytest.fixture
def keep_test_connection():
    """Django's handler closes the database connection when a request ends, which
    would end the test's transaction on PostgreSQL; the test client holds these
    signals back the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
