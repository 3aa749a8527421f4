"""The ``dateline`` command as an operator runs it: in a process of its own."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from dateline.testing.stack import process_environment

pytestmark = pytest.mark.own_stack

DATELINE = [sys.executable, "-m", "dateline.cli"]


def environment(tmp_path, **extra):
    return process_environment(**{"DATELINE_DATA_DIR": str(tmp_path / "data"), **extra})


def run(args, env, timeout=180):
    return subprocess.run(
        [*DATELINE, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_line_error(result, fragment):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("dateline: error: ")
    assert fragment in lines[0]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_version(tmp_path):
    result = run(["version"], environment(tmp_path))
    assert re.fullmatch(r"dateline \d+\.\d+\.\d+\n", result.stdout)


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    one_line_error(run(["serve"], environment(tmp_path)), "SECRET_KEY is not set")


def test_unwritable_data_directory_is_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    env = environment(
        tmp_path, SECRET_KEY="k" * 50, DATELINE_DATA_DIR=str(blocker / "data")
    )
    one_line_error(run(["serve"], env), "is not writable")


def test_unreachable_database_is_one_line(tmp_path):
    env = environment(
        tmp_path, SECRET_KEY="k" * 50, DATABASE_URL="postgres://nobody@127.0.0.1:9/none"
    )
    one_line_error(run(["serve"], env), "cannot connect to the database")


def test_unusable_database_url_is_one_line(tmp_path):
    env = environment(tmp_path, SECRET_KEY="k" * 50, DATABASE_URL="nosuchdb://x/y")
    one_line_error(run(["serve"], env), "DATABASE_URL")


def test_bad_boolean_setting_is_one_line(tmp_path):
    env = environment(tmp_path, SECRET_KEY="k" * 50, DATELINE_HTTPS="maybe")
    one_line_error(run(["serve"], env), "DATELINE_HTTPS")


def test_port_in_use_is_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = environment(tmp_path, SECRET_KEY="k" * 50)
        one_line_error(run(["serve", "--port", str(port)], env), f"127.0.0.1:{port}")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("demo")


def test_demo_prepares_everything_once_and_keeps_data(demo_dir):
    env = environment(demo_dir)
    first = run(["demo", "--no-serve"], env)
    assert first.returncode == 0, first.stderr
    assert "[14/14]" in first.stdout
    password = re.search(r"as 'admin' with password: (\S+)", first.stdout).group(1)
    assert len(password) >= 12
    key_file = demo_dir / "data" / "secret_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"

    second = run(["demo", "--no-serve"], env)
    assert second.returncode == 0, second.stderr
    assert "already has articles; keeping them" in second.stdout
    assert "password" not in second.stdout
    assert password not in second.stdout


def test_demo_serves_the_site(demo_dir):
    port = free_port()
    env = environment(demo_dir)
    server = subprocess.Popen(
        [*DATELINE, "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = fetch_when_up(f"http://127.0.0.1:{port}/pakistan/capital-water-plan/")
        assert "Islamabad (The Dateline Gazette)" in body
        assert "Min Read" in body and "Leave a Reply" in body
        assert "Share This Article" in body and "- Advertisement -" in body
        # Every absolute URL names the address the demo serves.
        origin = f"http://127.0.0.1:{port}"
        assert f'rel="canonical" href="{origin}/pakistan/capital-water-plan/"' in body
        robots = fetch_when_up(f"{origin}/robots.txt")
        assert f"Sitemap: {origin}/sitemap.xml" in robots
        assert "localhost" not in fetch_when_up(f"{origin}/feed/atom/")
        css = fetch_when_up(f"http://127.0.0.1:{port}/static/dateline/css/site.css")
        assert ".story__headline" in css
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert f"Serving on http://127.0.0.1:{port}/" in output


def fetch_when_up(url, seconds=180):
    # The first view of a fresh demo makes its image renditions, which takes a while
    # on a busy machine.
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


SCHEDULE = """
from datetime import timedelta
from django.utils import timezone
from dateline.testing.stack import process_environment
from dateline.newsroom.actions import do_create_article, do_schedule_article
from dateline.newsroom.models import Author, SectionPage
article = do_create_article(
    SectionPage.objects.get(slug="world"), authors=[Author.objects.first()],
    title="Scheduled {slug}", slug="{slug}",
    body=[{{"type": "paragraph", "value": "<p>Soon.</p>"}}],
)
do_schedule_article(article, timezone.now() + timedelta(seconds=8))
print(article.url)
"""


def serve_env(demo_dir, **extra):
    key = (demo_dir / "data" / "secret_key").read_text().strip()
    return environment(
        demo_dir,
        SECRET_KEY=key,
        DATELINE_HTTPS="0",
        DATELINE_SCHEDULER_INTERVAL="1",
        **extra,
    )


def schedule_and_wait(env, port, slug):
    made = run(["shell", "-c", SCHEDULE.format(slug=slug)], env)
    assert made.returncode == 0, made.stderr
    path = made.stdout.strip().splitlines()[-1]
    assert not path_is_up(f"http://127.0.0.1:{port}{path}")
    started = time.monotonic()
    body = fetch_when_up(f"http://127.0.0.1:{port}{path}", seconds=60)
    assert f"Scheduled {slug}" in body
    return time.monotonic() - started


def path_is_up(url):
    try:
        with urllib.request.urlopen(url, timeout=5):  # noqa: S310
            return True
    except OSError:
        return False


@pytest.mark.parametrize("mode", ["serve", "worker"])
def test_scheduled_article_goes_live_with_serve_or_a_separate_worker(demo_dir, mode):
    if not (demo_dir / "data" / "secret_key").exists():
        assert run(["demo", "--no-serve"], environment(demo_dir)).returncode == 0
    port = free_port()
    extra = {"DATELINE_SCHEDULER": "0"} if mode == "worker" else {}
    env = serve_env(demo_dir, **extra)
    processes = [
        subprocess.Popen(
            [*DATELINE, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    ]
    if mode == "worker":
        processes.append(
            subprocess.Popen(
                [*DATELINE, "worker"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    try:
        fetch_when_up(f"http://127.0.0.1:{port}/")
        waited = schedule_and_wait(env, port, f"scheduled-by-{mode}")
        assert waited < 60
    finally:
        outputs = []
        for process in processes:
            process.terminate()
            outputs.append(process.communicate(timeout=30)[0])
    if mode == "worker":
        assert "Worker running" in outputs[1]
        assert "Scheduled publishing" not in outputs[0]
    else:
        assert "Scheduled publishing: checked every 1 s" in outputs[0]
        # The worker child goes with the server: no orphan keeps publishing.
        child = int(re.search(r"worker process \(pid (\d+)\)", outputs[0])[1])
        assert not process_alive(child, seconds=20)


def process_alive(pid, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.2)
    return True
