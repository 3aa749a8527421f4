"""Helpers for tests that run the production stack in processes of their own:
``dateline serve``, Redis, PostgreSQL, Varnish."""

import http.client
import os
from urllib.parse import urlencode, urlsplit

import pytest

# A Redis database of the tests' own; each run keeps its keys under a prefix of its
# own (``CACHE_KEY_PREFIX``) and forgets them at the end.
REDIS_URL = "redis://127.0.0.1:6379/12"


def require(available, what):
    if available:
        return
    if os.environ.get("DATELINE_REQUIRE_PROXY"):
        pytest.fail(f"{what} is required but not available")
    pytest.skip(f"{what} is not available")


def redis_up():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError:
        return False


def request(url, fields=None, headers=None):
    """(status, headers, body); a POST when ``fields`` are given. No redirects."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = dict(headers or {})
    if fields is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    method, body = ("GET", None) if fields is None else ("POST", urlencode(fields))
    try:
        connection.request(method, parts.path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def forget_cache(prefix):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
