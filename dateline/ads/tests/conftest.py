import pytest


@pytest.fixture
def reader_client(client):
    """A browser, as far as the ad counting can tell."""
    from .helpers import READER

    client.defaults["HTTP_USER_AGENT"] = READER
    return client
