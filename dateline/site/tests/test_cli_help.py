"""``dateline`` help and start-up messages, through the installed console script."""

import re
import socket
import subprocess
import time

import pytest

from dateline.testing.stack import DATELINE, fresh_environment, request
from dateline.testing.stack import run_dateline as dateline


@pytest.mark.parametrize("args", [["--help"], ["help"], []])
def test_help_lists_dateline_verbs_first_then_djangos(tmp_path, args):
    result = dateline(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for verb, description in [
        ("demo", "Set up the embedded site with demo content and serve it."),
        ("serve", "Serve the site with production settings."),
        ("generate", "Add many generated, published articles quickly, for load tests."),
        ("worker", "Run background work in the foreground"),
    ]:
        assert re.search(rf"^  {verb} +{re.escape(description)}", text, re.MULTILINE)
    ours, _, djangos = text.partition("Django's and Wagtail's commands")
    assert "migrate" in djangos and "createsuperuser" in djangos
    assert "update_index" in djangos
    assert "migrate" not in ours
    # Whole words: Django's list has django-tasks-db's ``db_worker``.
    assert not re.search(r"(?<![\w-])(generate|worker)(?![\w-])", djangos)
    # Help needs no configuration and leaves nothing behind.
    assert not (tmp_path / "var").exists()


@pytest.mark.parametrize(
    ("args", "usage", "option"),
    [
        (["help", "serve"], "usage: dateline serve", "--workers"),
        (["serve", "--help"], "usage: dateline serve", "--workers"),
        (["help", "demo"], "usage: dateline demo", "--no-serve"),
        (["demo", "-h"], "usage: dateline demo", "--no-serve"),
        (["help", "worker"], "usage: dateline worker", "--once"),
        (["worker", "--help"], "usage: dateline worker", "--once"),
        (["help", "generate"], "usage: dateline generate", "--articles"),
        (["help", "migrate"], "usage: dateline migrate", "--plan"),
        (["help", "version"], "usage: dateline version", ""),
    ],
)
def test_help_on_one_verb_gives_its_usage(tmp_path, args, usage, option):
    result = dateline(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(usage)
    assert option in result.stdout
    assert "Unknown command" not in result.stdout + result.stderr


def test_help_on_an_unknown_verb_says_so(tmp_path):
    result = dateline(tmp_path, "help", "nosuchverb")
    assert result.returncode != 0
    assert "Unknown command: 'nosuchverb'" in result.stdout + result.stderr


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_up_output(tmp_path, port, **extra):
    """Everything ``dateline serve`` prints up to its "Serving on" line, and the
    server, still running."""
    server = subprocess.Popen(
        [DATELINE, "serve", "--port", str(port)],
        cwd=tmp_path,
        env=fresh_environment(
            tmp_path, SECRET_KEY="k" * 50, DATELINE_SCHEDULER="0", **extra
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in server.stdout:
        lines.append(line)
        if line.startswith("Serving on"):
            break
    return "".join(lines), server


def status_and_location(url, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            status, headers, _ = request(url)
            return status, headers.get("Location")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(server):
    server.terminate()
    server.communicate(timeout=30)


def test_serve_says_it_expects_tls_when_it_redirects_to_https(tmp_path):
    port = free_port()
    output, server = start_up_output(tmp_path, port)
    try:
        assert f"Serving on http://127.0.0.1:{port}/" in output
        assert "expects TLS in front; set DATELINE_HTTPS=0 to serve plain HTTP" in (
            output
        )
        status, location = status_and_location(f"http://127.0.0.1:{port}/")
        assert status == 301
        assert location == f"https://127.0.0.1:{port}/"
    finally:
        stop(server)

    port = free_port()
    output, server = start_up_output(tmp_path, port, DATELINE_HTTPS="0")
    try:
        assert f"Serving on http://127.0.0.1:{port}/" in output
        assert "TLS" not in output
    finally:
        stop(server)
