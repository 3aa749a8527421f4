"""The production HTTP server, granian, run by ``dateline serve`` and ``dateline demo``.

granian was chosen over gunicorn by ``benchmarks/servers.py``; docs/operations.md has
the figures. Django runs under its WSGI interface, each worker process with a pool of
threads for blocking requests.
"""

import os

from granian import Granian
from granian.constants import Interfaces
from granian.log import LogLevels


def run(host: str, port: int, workers: int) -> None:
    level = os.environ.get("DATELINE_LOG_LEVEL", "warning").lower()
    Granian(
        "dateline.site.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=max(1, workers),
        blocking_threads=int(os.environ.get("DATELINE_THREADS", "4")),
        log_level=LogLevels(level)
        if level in {v.value for v in LogLevels}
        else LogLevels.warning,
        log_access=bool(os.environ.get("DATELINE_ACCESS_LOG")),
        respawn_failed_workers=True,
        workers_kill_timeout=10,
    ).serve()
