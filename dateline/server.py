"""The production-style HTTP server, gunicorn, run in-process by ``dateline serve``.

docs/operations.md gives the measurement behind choosing gunicorn.
"""

import os

from gunicorn.app.base import BaseApplication


class DatelineServer(BaseApplication):
    def __init__(self, options):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from dateline.site.wsgi import application

        return application


def run(host: str, port: int, workers: int) -> None:
    DatelineServer(
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": max(1, workers),
            "threads": int(os.environ.get("DATELINE_THREADS", "4")),
            "worker_class": "gthread",
            "accesslog": "-" if os.environ.get("DATELINE_ACCESS_LOG") else None,
            "errorlog": "-",
            "loglevel": os.environ.get("DATELINE_LOG_LEVEL", "warning").lower(),
            "timeout": 30,
            "graceful_timeout": 10,
            "forwarded_allow_ips": os.environ.get(
                "DATELINE_FORWARDED_ALLOW_IPS", "127.0.0.1"
            ),
        }
    ).run()
