"""Helpers for tests that run the production stack in processes of their own:
``dateline serve``, Redis, PostgreSQL, Varnish."""

import http.client
import os
import re
import subprocess
import sys
import time
from pathlib import Path
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
        target = f"{parts.path}?{parts.query}" if parts.query else parts.path
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


# A demo article, and a comment whose text must come back intact (markup included)
# when the database behind the form is away.
DEMO_ARTICLE = "/pakistan/capital-water-plan/"
COMMENT_WORDS = "The tankers came twice this week, <and> we still paid."


def post_comment(site, name, body=COMMENT_WORDS, article=DEMO_ARTICLE):
    """Post a reader's comment through ``site`` (a server or a proxy's address) the
    way a browser does: the form read from the article page, then posted with the
    site's Origin. (status, headers, body) of the post."""
    status, _, page = request(site + article)
    assert status == 200, page
    action = re.search(r'action="(/comments/\d+/post/)', page)[1]
    fields = {"name": name, "email": "hina@example.com", "website": "", "body": body}
    return request(site + action, fields=fields, headers={"Origin": site})


def forget_cache(prefix):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def redis_server_bin():
    import shutil

    return shutil.which("redis-server")


class RedisServer:
    """A throwaway ``redis-server`` on ``port`` that a test can stop and start again:
    ``with RedisServer(port) as server: server.stop(); server.start()``."""

    def __init__(self, port):
        self.port, self.process = port, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self):
        import subprocess

        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [redis_server_bin(), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait(up=True)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self._wait(up=False)

    def _wait(self, up, seconds=20):
        import socket
        import time

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                if up:
                    return
            except OSError:
                if not up:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not {'start' if up else 'stop'}")

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


DATELINE = str(Path(sys.executable).with_name("dateline"))


STORE_SETTINGS = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}


def process_environment(**extra):
    """This environment without the test run's own stores and settings module, plus
    ``extra``: what a ``dateline`` process started by a test is given."""
    env = {key: value for key, value in os.environ.items() if key not in STORE_SETTINGS}
    env.update(extra)
    return env


def fresh_environment(tmp_path, **extra):
    """This environment without any Dateline or Django setting: a new user's shell,
    with the data directory in ``tmp_path``."""
    env = {
        key: value
        for key, value in process_environment().items()
        if not key.startswith(("DATELINE_", "DJANGO_SUPERUSER_"))
    }
    env["DATELINE_DATA_DIR"] = str(tmp_path / "var")
    env.update(extra)
    return env


def run_dateline(tmp_path, *args, **extra):
    """Run the installed ``dateline`` script from ``tmp_path``; never a traceback."""
    result = subprocess.run(  # noqa: S603 - our own console script
        [DATELINE, *args],
        cwd=tmp_path,
        env=fresh_environment(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def wait_for(check, what, seconds=60):
    """Poll ``check`` until it is true; a connection refused counts as not yet."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"never happened: {what}")


def prepare_demo(env, timeout=300):
    """``dateline demo --no-serve`` in ``env``: a migrated site with demo content."""
    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "dateline.cli", "demo", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
