"""A real Varnish in front of test servers, with the project's own VCL: one app
node (``deploy/varnish/backends.vcl``) or a director over several
(``backends-several.vcl``, rendered for the nodes' ports)."""

import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

VARNISH_DIR = Path(__file__).resolve().parents[2] / "deploy" / "varnish"
VCL = VARNISH_DIR / "default.vcl"

BACKEND_BLOCK = re.compile(r"^backend (\w+) \{\n.*?^\}\n", re.M | re.S)
ADD_BACKEND = re.compile(r"^(\s*)(\w+)\.add_backend\(\w+\);\n", re.M)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def varnishd() -> str | None:
    return shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
    )


def single_backend_vcl(port: int) -> str:
    text = (VARNISH_DIR / "backends.vcl").read_text()
    return re.sub(r'\.port = "\d+";', f'.port = "{port}";', text)


def director_vcl(ports: Sequence[int], host: str = "127.0.0.1") -> str:
    """``backends-several.vcl`` with one backend per port, all in its director: the
    shipped file's first backend block is the pattern for every node."""
    text = (VARNISH_DIR / "backends-several.vcl").read_text()
    pattern = BACKEND_BLOCK.search(text)
    adding = ADD_BACKEND.search(text)
    indent, director = adding.group(1), adding.group(2)
    blocks, lines = [], []
    for number, port in enumerate(ports, start=1):
        block = pattern.group(0).replace(
            f"backend {pattern.group(1)} ", f"backend node{number} ", 1
        )
        block = re.sub(r'\.host = "[^"]+";', f'.host = "{host}";', block)
        blocks.append(re.sub(r'\.port = "\d+";', f'.port = "{port}";', block))
        lines.append(f"{indent}{director}.add_backend(node{number});\n")
    text = BACKEND_BLOCK.sub("", text).replace("\n\n\n\n", "\n\n")
    text = ADD_BACKEND.sub("", text)
    text = text.replace("sub vcl_init {\n", "\n".join(blocks) + "\nsub vcl_init {\n", 1)
    return text.replace(
        f"{indent}new {director} = directors.round_robin();\n",
        f"{indent}new {director} = directors.round_robin();\n" + "".join(lines),
        1,
    )


class Varnish:
    """``with Varnish(backend_port) as proxy:`` — ``proxy.url`` is its address.
    ``Varnish([port1, port2])`` balances over several app nodes with health probes.
    ``stop()`` and ``start()`` take it away and bring it back on the same port."""

    def __init__(self, backend_port: int | Sequence[int], port: int | None = None):
        self.backend_port = backend_port
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = Path(tempfile.mkdtemp(prefix="dateline-varnish-"))
        self.process = None

    def backends(self) -> str:
        if isinstance(self.backend_port, int):
            return single_backend_vcl(self.backend_port)
        return director_vcl(self.backend_port)

    def write_vcl(self) -> Path:
        # varnishd drops root for its own user, which must read the VCL.
        self.workdir.chmod(0o755)
        for name, text in (("default.vcl", VCL.read_text()), ("backends.vcl", None)):
            path = self.workdir / name
            path.write_text(text if text is not None else self.backends())
            path.chmod(0o644)
        return self.workdir / "default.vcl"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [
                varnishd(),
                "-F",
                "-n",
                str(self.workdir / "state"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(self.write_vcl()),
                "-s",
                "malloc,64m",
                "-p",
                "default_ttl=300",
                # As the recipe for several nodes asks (backends-several.vcl).
                "-p",
                "max_retries=6",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_listening()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.__exit__()
            raise
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
        try:
            self.stop()
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)
