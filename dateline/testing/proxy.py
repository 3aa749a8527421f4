"""A real Varnish in front of a test server, with the project's own VCL."""

import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def varnishd() -> str | None:
    return shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
    )


class Varnish:
    """``with Varnish(backend_port) as proxy:`` — ``proxy.url`` is its address."""

    def __init__(self, backend_port: int, port: int | None = None):
        self.backend_port = backend_port
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = Path(tempfile.mkdtemp(prefix="dateline-varnish-"))

    def __enter__(self):
        vcl = re.sub(
            r'\.port = "\d+";', f'.port = "{self.backend_port}";', VCL.read_text()
        )
        # varnishd drops root for its own user, which must read the VCL.
        self.workdir.chmod(0o755)
        (self.workdir / "test.vcl").write_text(vcl)
        (self.workdir / "test.vcl").chmod(0o644)
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [
                varnishd(),
                "-F",
                "-n",
                str(self.workdir / "state"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(self.workdir / "test.vcl"),
                "-s",
                "malloc,64m",
                "-p",
                "default_ttl=300",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_listening()
        return self

    def wait_until_listening(self, seconds=20):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stdout.read().decode(errors="replace"))
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("varnishd did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)
