"""A throwaway PostgreSQL cluster that a test may stop and start again, leaving the
shared server on port 5432 alone."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .proxy import free_port


def postgres_bin() -> Path | None:
    """The newest installed server's ``bin`` directory (Debian keeps it off PATH)."""
    versions = [
        initdb.parent
        for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb")
        if initdb.parents[1].name.isdigit()
    ]
    if versions:
        return max(versions, key=lambda bindir: int(bindir.parent.name))
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresCluster:
    """``with PostgresCluster() as db:`` — ``db.url`` is its address; ``db.stop()``
    takes the server away (closing every connection) and ``db.start()`` brings it back
    with the same data."""

    def __init__(self, parent: Path | None = None):
        self.bin = postgres_bin()
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self.workdir = Path(tempfile.mkdtemp(prefix="dateline-pg-", dir=parent))
        self.data = self.workdir / "data"
        self.running = False

    def __enter__(self):
        if os.geteuid() == 0:
            # initdb refuses to run as root; the server runs as the postgres user.
            shutil.chown(self.workdir, "postgres", "postgres")
        try:
            self.create()
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def create(self):
        cluster = ["-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        self._run("initdb", *cluster, "--no-sync")

    def start(self):
        # Durability is of no use to a throwaway cluster, and costs seconds. Commits
        # still write their log at once (synchronous_commit stays on; without fsync
        # that is a write to the OS, not to disk), as in production: a replica then
        # receives each commit as it happens rather than at the WAL writer's next
        # round, up to 200 ms later, which every change's replica wait would add.
        options = (
            f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        log = self.workdir / "server.log"
        self._run("pg_ctl", "-D", self.data, "-l", log, "-o", options, "-w", "start")
        self.running = True

    def stop(self, mode="fast"):
        """Stop the server; ``fast`` ends open connections as a crash or restart
        would, without waiting for clients."""
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")
        self.running = False

    def psql(self, sql: str) -> None:
        self._run(
            "psql", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "-c", sql
        )

    def log(self) -> str:
        path = self.workdir / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __exit__(self, *exc):
        try:
            if self.running:
                self.stop(mode="immediate")
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _run(self, program, *args):
        command = [str(self.bin / program), *map(str, args)]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        # The server's log goes to a file: a pipe held open by it would never end.
        result = subprocess.run(  # noqa: S603 - our own command line
            command,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{program} failed ({result.returncode}): {result.stdout}"
                f"{result.stderr}{self.log()}"
            )


class PostgresReplica(PostgresCluster):
    """``with PostgresReplica(primary) as replica:`` — a streaming replica of a running
    ``PostgresCluster``, made with ``pg_basebackup`` as an operator makes one."""

    def __init__(self, primary: PostgresCluster, parent: Path | None = None):
        super().__init__(parent)
        self.primary = primary

    def create(self):
        self._run(
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", self.primary.port, "-U", "postgres"),
            *("-D", self.data, "-R", "--wal-method=stream", "--no-sync"),
        )

    def pause_replay(self, paused=True):
        """Stop (or go on) applying the primary's changes: a replica falling behind."""
        self.psql(f"SELECT pg_wal_replay_{'pause' if paused else 'resume'}()")
