"""The one place settings read the process environment.

Every variable read here is listed in ``.env.example`` and in ``docs/operations.md``.
A wrong value raises ``ImproperlyConfigured`` with a message naming the variable, which
the ``dateline`` command prints as one line.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no; got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number; got {raw!r}"
        ) from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def data_dir() -> Path:
    """Where the embedded default keeps its database, media and generated secret."""
    return Path(env_str("DATELINE_DATA_DIR", "var")).expanduser().resolve()


EMBEDDED_KEY_FILE = "secret_key"


def secret_key() -> str:
    """``SECRET_KEY`` from the environment or, on the embedded site, the site's own key.

    The embedded site (no ``DATABASE_URL``) keeps the key ``dateline demo`` made in the
    data directory, so every command run on that site signs with the same key without
    the operator copying it into the environment. With a ``DATABASE_URL`` the site is a
    production one and its key comes from the environment only.
    """
    key = env_str("SECRET_KEY")
    if key or env_str("DATABASE_URL"):
        return key
    key_file = data_dir() / EMBEDDED_KEY_FILE
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        raise ImproperlyConfigured(
            f"cannot read the site's key {key_file} ({exc.strerror}); run as the user "
            "who made the site, or set SECRET_KEY"
        ) from None


def database_config(default_sqlite: Path, env_name: str = "DATABASE_URL") -> dict:
    import dj_database_url

    url = env_str(env_name)
    if not url:
        cache_mb = env_int("DATABASE_SQLITE_CACHE_MB", 16)
        if cache_mb < 1:
            raise ImproperlyConfigured(
                f"DATABASE_SQLITE_CACHE_MB must be 1 or more; got {cache_mb}"
            )
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite),
            # Kept open between requests, as a PostgreSQL connection is: opening one
            # (Django's functions registered, the pragmas, the schema read again)
            # costs more CPU than everything else an uncached article view reads,
            # and a closed connection forgets the pages it had read.
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            # WAL lets readers go on while a comment or a publish writes.
            "OPTIONS": {
                # Writers wait for each other instead of failing with "locked".
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                # Each kept connection keeps the pages it read: the default 2 MB
                # holds little of a big archive's indexes; 16 MB made page 20 of a
                # section 15 % faster at 100,000 stories.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    f"PRAGMA cache_size=-{cache_mb * 1024};"
                ),
            },
        }
    try:
        config = dj_database_url.parse(
            url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)
        )
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{env_name} is not a database URL we can use: {exc}"
        ) from None
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"].endswith("postgresql") and not env_bool("DATABASE_JIT"):
        _without_jit(config)
    return config


def _without_jit(config: dict) -> None:
    # PostgreSQL compiles a query whose estimated cost passes jit_above_cost to
    # machine code first. A reader's search over a million stories passes it, and
    # the compiling (about 28 ms) cost more than the query saved: searches took
    # twice as long with it (docs/performance.md). Off for this site's sessions;
    # DATABASE_JIT=1 leaves it to the server's configuration.
    options = config.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate written "count/seconds", e.g. "5/60" for five a minute."""
    raw = env_str(name, default)
    try:
        count, seconds = (int(part) for part in raw.split("/"))
    except ValueError:
        raise ImproperlyConfigured(
            f'{name} must look like "5/60" (count/seconds); got {raw!r}'
        ) from None
    return count, seconds
