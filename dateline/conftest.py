import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (it may be a shared Redis)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that Django's mail goes to for this test.

    Its ``messages`` are the e-mails it received, parsed.
    """
    from dateline.testing.smtp import SMTPServer

    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = server.host
        settings.EMAIL_PORT = server.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        yield server


@pytest.fixture
def smtp_away(settings):
    """A real SMTP server, not yet started (its port refuses connections), with mail
    queued as in production: the worker sends it over SMTP and retries each second
    (a minute in production). Start it with ``with smtp_away as server:``."""
    from dateline.testing.smtp import SMTPServer

    server = SMTPServer()
    settings.EMAIL_BACKEND = "dateline.worker.mail.QueuedEmailBackend"
    settings.DATELINE_EMAIL_DELIVERY_BACKEND = (
        "django.core.mail.backends.smtp.EmailBackend"
    )
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DATELINE_TASKS_RETRY_SECONDS = 1
    return server
