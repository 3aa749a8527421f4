"""Reads on a real PostgreSQL streaming replica, writes on the primary.

A throwaway primary and a replica made from it with ``pg_basebackup``; the site runs
with ``DATABASE_REPLICA_URL`` in a process of its own, where Django's test client
counts which database each view's queries went to.
"""

import json
import subprocess
import sys
import textwrap
import time

import pytest

from dateline.testing.postgres import PostgresCluster, PostgresReplica, postgres_bin
from dateline.testing.stack import prepare_demo, process_environment, require

pytestmark = pytest.mark.own_stack

ARTICLE = "/pakistan/capital-water-plan/"

# One phase of the scenario per line read; each prints where the view's queries went.
SCRIPT = textwrap.dedent(
    """
    import json, re, sys
    import django
    django.setup()
    from django.db import connections
    from django.test import Client

    reader, writer = Client(), Client()

    def view(client, path):
        counts = {"default": 0, "replica": 0}

        def counter(alias):
            def count(execute, sql, params, many, context):
                counts[alias] += 1
                return execute(sql, params, many, context)
            return count

        with connections["default"].execute_wrapper(counter("default")), \
                connections["replica"].execute_wrapper(counter("replica")):
            response = client.get(path)
        return {
            "status": response.status_code,
            "primary": counts["default"],
            "replica": counts["replica"],
        }

    for line in sys.stdin:
        phase = line.strip()
        if phase == "post":
            page = writer.get(sys.argv[1]).content.decode()
            action = re.search(r'action="(/comments/\\d+/post/)', page)[1]
            response = writer.post(action, {
                "name": "Hina Baig", "email": "hina@example.com", "website": "",
                "body": "The tankers came twice this week and we still paid.",
            })
            result = {"status": response.status_code,
                      "cookie": "dateline_primary" in response.cookies}
        elif phase == "catch_up":
            from dateline.site.replicas import catch_up
            result = {"caught_up": catch_up()}
        else:
            client = writer if phase == "writer" else reader
            result = view(client, sys.argv[1])
        print(json.dumps(result), flush=True)
    """
)


class Site:
    def __init__(self, env):
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, "-c", SCRIPT, ARTICLE],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def ask(self, phase):
        self.process.stdin.write(phase + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(self.process.stderr.read())
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def site(tmp_path):
    require(postgres_bin(), "PostgreSQL's server programs (initdb, pg_basebackup)")
    with PostgresCluster() as primary, PostgresReplica(primary) as replica:
        env = process_environment(
            DATELINE_DATA_DIR=str(tmp_path / "data"),
            SECRET_KEY="p" * 50,
            DATABASE_URL=primary.url,
            DATABASE_REPLICA_URL=replica.url,
            DJANGO_SETTINGS_MODULE="dateline.site.settings.production",
            ALLOWED_HOSTS="testserver",
            DATELINE_HTTPS="0",
            DATELINE_PAGE_CACHE="0",
            DATELINE_SCHEDULER="0",
            DATELINE_COMMENTS_MIN_SECONDS="0",
            DATELINE_REPLICA_MAX_LAG="1",
            DATELINE_REPLICA_PROBE_SECONDS="1",
        )
        prepare_demo(env)
        running = Site(env)
        try:
            yield running, primary, replica
        finally:
            running.close()


def test_readers_read_the_replica_and_a_writer_reads_the_primary(site):
    site, primary, replica = site
    site.ask("reader")  # renditions made, settings rows written: on the primary
    reader = site.ask("reader")
    assert reader["status"] == 200
    assert reader["replica"] > 0 and reader["primary"] == 0, reader

    posted = site.ask("post")
    assert posted == {"status": 302, "cookie": True}
    writer = site.ask("writer")  # the same browser, right after its comment
    assert writer["status"] == 200
    assert writer["primary"] > 0 and writer["replica"] <= 1, writer  # the probe only

    # The replica stops applying changes and the primary moves on: it lags.
    replica.pause_replay()
    primary.psql("CREATE TABLE elsewhere (id int)")  # any write on the primary
    time.sleep(1.5)
    lagging = site.ask("reader")
    assert lagging["status"] == 200
    assert lagging["primary"] > 0 and lagging["replica"] <= 1, lagging  # the probe
    # A change made now is not held up waiting for a replica known to lag.
    assert site.ask("catch_up") == {"caught_up": False}
    replica.pause_replay(paused=False)
    time.sleep(1.5)
    caught_up = site.ask("reader")
    assert caught_up["primary"] == 0 and caught_up["replica"] > 1, caught_up
    # Caches are retired once the replica has applied what the primary committed.
    primary.psql("CREATE TABLE meanwhile (id int)")
    assert site.ask("catch_up") == {"caught_up": True}

    # The replica goes away: reads move to the primary, no error.
    replica.stop()
    time.sleep(1.5)  # the next probe finds it gone
    for _ in range(3):
        gone = site.ask("reader")
        assert gone["status"] == 200, gone
        assert gone["primary"] > 0, gone
