"""The ``dateline`` command: a thin dispatcher over Django's management commands.

Its own verbs are ``demo``, ``serve`` and ``version``; anything else (``migrate``,
``worker``, ``createsuperuser``, ``load_demo_content``...) runs as ``manage.py``
would. ``dateline help`` lists Dateline's commands first, then Django's and Wagtail's.
Configuration errors end in one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

PRODUCTION_SETTINGS = "dateline.site.settings.production"
# Verbs spelt as commands are on the command line, for management commands whose
# Python names cannot have a hyphen.
VERB_ALIASES = {"import-wordpress": "import_wordpress"}


class CommandError(Exception):
    """A problem the operator can fix, reported as one line."""


HELP_FLAGS = {"help", "--help", "-h"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    verb = argv[0] if argv else "help"
    try:
        if verb in HELP_FLAGS:
            return help_command(argv[1:])
        if argv[1:] in (["--help"], ["-h"]):
            return help_command([verb])
        if verb == "demo":
            return demo(argv[1:])
        if verb == "serve":
            return serve(argv[1:])
        if verb in {"version", "--version"}:
            from importlib.metadata import version

            print(f"dateline {version('dateline')}")
            return 0
        if verb in VERB_ALIASES:
            argv[0] = VERB_ALIASES[verb]
        return manage(argv)
    except CommandError as exc:
        print(f"dateline: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS)
    if not os.environ.get("DATABASE_URL"):
        _prepare_data_dir()  # the embedded SQLite database lives there
    _setup_django()
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(["dateline", *argv])
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from None
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        raise CommandError(f"database error: {reason}") from None
    return 0


# The verbs handled here rather than by a management command, for the help listing.
OWN_VERBS = {
    "demo": "Set up the embedded site with demo content and serve it.",
    "serve": "Serve the site with production settings.",
    "version": "Print the installed version of Dateline.",
}


def help_command(argv: list[str]) -> int:
    """``dateline help [verb]``: the listing, or one verb's usage."""
    verb = argv[0] if argv else None
    if verb in {"demo", "serve"}:
        return {"demo": demo, "serve": serve}[verb](["--help"])
    if verb == "version":
        print(f"usage: dateline version\n\n{OWN_VERBS['version']}")
        return 0
    _setup_django_for_help()
    if verb is not None:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["dateline", "help", *argv])
        return 0
    print(help_text())
    return 0


def _setup_django_for_help() -> None:
    # Help signs nothing, so it runs without the site's key, and it makes no data
    # directory: `dateline --help` works before anything is configured.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS)
    os.environ.setdefault("SECRET_KEY", "help-only-" + secrets.token_urlsafe(16))
    _setup_django()


def _commands() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Dateline's verbs with their first sentence, and the other commands by app."""
    from collections import defaultdict

    from django.core.management import get_commands, load_command_class

    ours = dict(OWN_VERBS)
    theirs: dict[str, list[str]] = defaultdict(list)
    for name, app in get_commands().items():
        if app.startswith("dateline."):
            ours[name] = _first_sentence(load_command_class(app, name).help)
        else:
            theirs[app.rpartition(".")[2]].append(name)
    return ours, theirs


def help_text() -> str:
    """Dateline's verbs with a line each, then Django's and Wagtail's by app."""
    import textwrap

    ours, theirs = _commands()
    width = max(map(len, ours)) + 2
    lines = ["Usage: dateline <command> [options]", "", "Dateline's commands:"]
    for name in sorted(ours):
        lines += textwrap.wrap(
            ours[name],
            width=88,
            initial_indent=f"  {name:<{width}}",
            subsequent_indent=" " * (width + 2),
        )
    lines += ["", "Django's and Wagtail's commands:"]
    for app in sorted(theirs):
        lines += textwrap.wrap(
            ", ".join(sorted(theirs[app])),
            width=88,
            initial_indent=f"  [{app}] ",
            subsequent_indent="    ",
        )
    lines += [
        "",
        "'dateline help <command>' or 'dateline <command> --help' for its usage.",
    ]
    return "\n".join(lines)


def _first_sentence(text: str) -> str:
    sentence, stop, _ = " ".join(text.split()).partition(". ")
    return sentence + stop.strip()


def _server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=os.environ.get("DATELINE_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="dateline demo",
        description="Set up the embedded site with demo content and serve it.",
    )
    _server_arguments(parser)
    parser.add_argument(
        "--no-serve", action="store_true", help="prepare everything, then exit"
    )
    args = parser.parse_args(argv)

    data_dir = _prepare_data_dir()
    os.environ.setdefault("SECRET_KEY", _demo_secret_key(data_dir))
    os.environ.setdefault("DATELINE_HTTPS", "0")
    os.environ.setdefault(
        "DATELINE_TIME_ZONE", "Asia/Karachi"
    )  # the demo outlet's home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS)
    _setup_django()
    _check_database()
    _check_cache()

    from django.core.management import call_command

    print(f"Data directory: {data_dir}")
    print("Applying database migrations...", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    _collect_static()
    call_command("load_demo_content", if_empty=True)
    # Every absolute URL (canonical, feeds, sitemaps) names the address served here.
    call_command("site_address", args.host, args.port)
    call_command("ensure_admin", base_url=f"http://{args.host}:{args.port}")
    if args.no_serve:
        print("Ready. Start the site with: dateline demo")
        return 0
    return _run_server(args.host, args.port, workers=1)


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="dateline serve",
        description="Serve the site with production settings.",
    )
    _server_arguments(parser)
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("DATELINE_WORKERS", "2")),
    )
    args = parser.parse_args(argv)
    _prepare_data_dir()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS)
    _setup_django()
    _check_database()
    _check_cache()
    _collect_static(only_if_missing=True)
    return _run_server(args.host, args.port, workers=args.workers)


def _prepare_data_dir() -> Path:
    data_dir = Path(os.environ.get("DATELINE_DATA_DIR", "var")).expanduser().resolve()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        # A probe of its own: several commands (a worker, a shell) may start at once.
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise CommandError(
            f"data directory {data_dir} is not writable ({exc.strerror}); "
            "set DATELINE_DATA_DIR to a directory you can write"
        ) from None
    return data_dir


def _demo_secret_key(data_dir: Path) -> str:
    """A key made on first run, kept in the data directory, readable by us only."""
    from .site.settings.env import EMBEDDED_KEY_FILE

    key_file = data_dir / EMBEDDED_KEY_FILE
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


def _setup_django() -> None:
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from None


def _check_database() -> None:
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        reason = (
            str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        )
        raise CommandError(f"cannot connect to the database: {reason}") from None


def _check_cache() -> None:
    """A shared cache that is away is worth a warning, not a refusal: pages are
    built without it until it is back (dateline.caching.backends)."""
    from django.core.cache import cache

    from .caching.backends import reachable

    if not reachable(cache):
        print(
            "dateline: warning: the shared cache (REDIS_URL) is not answering; "
            "pages are served without it until it is back",
            file=sys.stderr,
            flush=True,
        )


def _collect_static(only_if_missing: bool = False) -> None:
    from django.conf import settings
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if only_if_missing and manifest.exists():
        return
    print("Collecting static files...", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)


def _start_scheduler() -> subprocess.Popen | None:
    """Background work (the task queue, scheduled publishing, periodic jobs) in a
    ``dateline worker`` child process, unless a worker runs elsewhere
    (``DATELINE_SCHEDULER=0``). A child process, not a thread: the web server forks
    its workers from this process (see dateline.worker.runner)."""
    if os.environ.get("DATELINE_SCHEDULER", "1").strip().lower() in {
        "0",
        "false",
        "no",
    }:
        return None
    from .worker.conf import interval

    child = subprocess.Popen(
        [sys.executable, "-m", "dateline.cli", "worker", "--exit-with-parent"],
        env={**os.environ, "DATELINE_DATA_DIR": str(_prepare_data_dir())},
        stdout=subprocess.DEVNULL,
    )
    print(
        f"Scheduled publishing: checked every {interval():g} s "
        f"by a worker process (pid {child.pid})."
    )
    return child


def _stop(child: subprocess.Popen | None) -> None:
    if child is None or child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=15)
    except subprocess.TimeoutExpired:
        child.kill()


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                f"cannot listen on {host}:{port} ({exc.strerror}); "
                "choose another with --port"
            ) from None


def _print_tls_note() -> None:
    """Why a browser pointed at the plain-HTTP address lands on https://."""
    from django.conf import settings

    if settings.SECURE_SSL_REDIRECT:
        print(
            "HTTPS is on: every plain-HTTP request is redirected to https://, so this "
            "server expects TLS in front; set DATELINE_HTTPS=0 to serve plain HTTP."
        )


def _run_server(host: str, port: int, workers: int) -> int:
    from django.db import connections

    from .server import run

    _check_port_free(host, port)
    # The web workers start from this process: they must not share its connections.
    connections.close_all()
    worker = _start_scheduler()
    _print_tls_note()
    print(
        f"Serving on http://{host}:{port}/ (admin: http://{host}:{port}/admin/). "
        "Press Ctrl+C to stop.",
        flush=True,
    )
    try:
        run(host=host, port=port, workers=workers)
    finally:
        _stop(worker)
    return 0


if __name__ == "__main__":
    sys.exit(main())
