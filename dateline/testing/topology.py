"""The several-machine recipe on one machine: N app nodes (``dateline serve`` on
ports of their own), one ``dateline worker``, a PostgreSQL primary with a streaming
replica, Redis, and two Varnish instances each balancing over every node.

``deploy/topology.py`` runs it until Ctrl-C; the fault tests and
``benchmarks/scaleout.py`` start it with ``with Topology() as site:`` and take its
parts away one at a time. Every part is a real process on 127.0.0.1, on a free port.
"""

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import dateline

from .postgres import PostgresCluster, PostgresReplica
from .proxy import Varnish, free_port
from .stack import RedisServer, prepare_demo, process_environment, request, wait_for

ROOT = Path(dateline.__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "dateline.cli"]


class Process:
    """A ``dateline`` process in a session of its own, so that ``kill()`` takes its
    granian workers with it, as a machine that dies would."""

    def __init__(self, name, argv, env, log_dir):
        self.name, self.argv, self.env = name, argv, env
        self.log = log_dir / f"{name}.log"
        self.popen = None

    def start(self):
        with self.log.open("a") as output:
            self.popen = subprocess.Popen(  # noqa: S603 - our own command line
                [*CLI, *self.argv],
                env=self.env,
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def running(self):
        return self.popen is not None and self.popen.poll() is None

    def kill(self):
        """``kill -9`` of the whole process group: no clean shutdown."""
        self._signal(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self, seconds=20):
        if not self.running():
            return
        self._signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.kill()
        # Workers outliving their parent would keep the port.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)

    def output(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def _signal(self, number):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, number)


class Node(Process):
    def __init__(self, number, port, workers, env, log_dir):
        argv = ["serve", "--port", str(port), "--workers", str(workers)]
        super().__init__(f"node{number}", argv, env, log_dir)
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def start(self):
        super().start()
        wait_for(self.healthy, f"{self.name} answering /healthz", seconds=120)
        self.warm("/")

    def warm(self, path):
        """Build ``path`` once: a process's first page loads templates and code."""
        wait_for(lambda: request(self.url + path)[0] == 200, f"{self.name} {path}")

    def healthy(self):
        if not self.running():
            raise AssertionError(f"{self.name} exited:\n{self.output()}")
        return request(self.url + "/healthz")[0] == 200


@dataclass
class Topology:
    """``with Topology(nodes=2) as site:`` — ``site.proxies[0].url`` is a reader's
    way in; ``site.nodes``, ``site.worker``, ``site.primary``, ``site.replica``,
    ``site.redis`` and the proxies can each be stopped and started again."""

    nodes_count: int = 2
    proxies_count: int = 2
    workers_per_node: int = 1
    directory: Path | None = None
    settings: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
        self.workdir = Path(tempfile.mkdtemp(prefix="topology-", dir=self.directory))
        # The database servers run as the postgres user, who must reach their folder.
        self.workdir.chmod(0o755)
        self.stack = contextlib.ExitStack()
        self.nodes, self.proxies = [], []

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stack.close()
            raise
        return self

    def __exit__(self, *exc):
        self.stack.close()

    def start(self):
        self.stack.callback(shutil.rmtree, self.workdir, ignore_errors=True)
        self.primary = self.stack.enter_context(PostgresCluster(self.workdir))
        self.replica = self.stack.enter_context(
            PostgresReplica(self.primary, self.workdir)
        )
        self.redis = self.stack.enter_context(RedisServer(free_port()))
        app_ports = [free_port() for _ in range(self.nodes_count)]
        proxy_ports = [free_port() for _ in range(self.proxies_count)]
        self.env = self.environment(proxy_ports)
        prepare_demo(self.env)
        for number, port in enumerate(app_ports, start=1):
            node = Node(number, port, self.workers_per_node, self.env, self.workdir)
            self.stack.callback(node.stop)
            node.start()
            self.nodes.append(node)
        self.worker = Process("worker", ["worker"], self.env, self.workdir)
        self.stack.callback(self.worker.stop)
        self.worker.start()
        for port in proxy_ports:
            self.proxies.append(self.stack.enter_context(Varnish(app_ports, port)))

    def environment(self, proxy_ports):
        return process_environment(
            PYTHONPATH=str(ROOT),
            DJANGO_SETTINGS_MODULE="dateline.site.settings.production",
            DATELINE_DATA_DIR=str(self.workdir / "data"),
            SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=self.primary.url,
            DATABASE_REPLICA_URL=self.replica.url,
            REDIS_URL=self.redis.url,
            DATELINE_PROXY_PURGE_URL=",".join(
                f"http://127.0.0.1:{port}" for port in proxy_ports
            ),
            DATELINE_HTTPS="0",
            # The worker runs on its own, as on the machine that hosts it.
            DATELINE_SCHEDULER="0",
            **self.settings,
        )

    def describe(self) -> str:
        lines = [f"Readers:  {proxy.url}/  (Varnish)" for proxy in self.proxies]
        lines += [f"App node: {node.url}/  ({node.name})" for node in self.nodes]
        lines += [
            f"Worker:   pid {self.worker.popen.pid}",
            f"Primary:  {self.primary.url}",
            f"Replica:  {self.replica.url}",
            f"Redis:    {self.redis.url}",
            f"Logs and data: {self.workdir}",
        ]
        return "\n".join(lines)
