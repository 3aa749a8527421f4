"""Public page reads on a PostgreSQL streaming replica, every write on the primary.

Off unless ``DATABASE_REPLICA_URL`` names a replica (``DATABASES["replica"]``). Then:

- ``ReplicaReadsMiddleware`` lets a request read from the replica only when nothing it
  does can need its own writes: a ``GET``/``HEAD`` without a session (editors,
  moderators and the admin stay on the primary) and without the ``dateline_primary``
  cookie. Any other request (a comment posted, a login) reads and writes on the
  primary and sets that cookie for ``DATELINE_READ_YOUR_WRITES_SECONDS``, so the
  reader who just wrote sees the write on the next pages, through the proxy too
  (the VCL passes such requests through).
- A change's caches are retired (tag versions moved, proxies purged) only once the
  replica has applied it, waiting at most ``DATELINE_REPLICA_MAX_LAG`` seconds
  (``catch_up``): otherwise a reader arriving between the purge and the replica's
  replay would have the old page rebuilt from the replica and stored, in the page
  cache and the proxies, as if it were the new one.
- ``ReplicaRouter`` sends those reads to the replica while it is healthy: its replay
  lag, probed at most every ``DATELINE_REPLICA_PROBE_SECONDS`` per process, is under
  ``DATELINE_REPLICA_MAX_LAG`` seconds. A replica that lags, or does not answer the
  probe, is left alone until a later probe finds it well; reads go to the primary
  meanwhile. Writes and migrations only ever go to the primary.

Django's database routers are the documented way to do this; the one piece they leave
to the project is knowing, per request, whether reads may be stale, which a context
variable set by the middleware carries to the router.
"""

import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY, REPLICA = "default", "replica"
COOKIE = "dateline_primary"

reads_may_lag: ContextVar[bool] = ContextVar("dateline_reads_may_lag", default=False)

LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
    " END, pg_is_in_recovery()"
)


@dataclass
class Health:
    checked_at: float = float("-inf")
    usable: bool = False
    lag: float | None = None


health = Health()


def configured() -> bool:
    return REPLICA in settings.DATABASES


def probe() -> Health:
    """Ask the replica how far behind it is; a failure counts as unusable."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            lag, in_recovery = cursor.fetchone()
        lag = float(lag)
        usable = bool(in_recovery) and lag <= settings.DATELINE_REPLICA_MAX_LAG
        if not usable:
            logger.warning("replica skipped: %.1f s behind the primary", lag)
    except DatabaseError as exc:
        connections[REPLICA].close()
        lag, usable = None, False
        logger.warning("replica skipped: it does not answer (%s)", exc)
    return Health(checked_at=time.monotonic(), usable=usable, lag=lag)


def replica_usable() -> bool:
    global health
    if time.monotonic() - health.checked_at >= settings.DATELINE_REPLICA_PROBE_SECONDS:
        health = probe()
    return health.usable


CAUGHT_UP_SQL = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"


def catch_up() -> bool:
    """Wait until the replica has applied everything the primary has committed so
    far, at most ``DATELINE_REPLICA_MAX_LAG`` seconds: whether it did. A replica this
    found lagging or away is not waited for: readers are sent to the primary until
    a later probe finds it well."""
    if not configured() or not replica_usable():
        return False
    deadline = time.monotonic() + settings.DATELINE_REPLICA_MAX_LAG
    try:
        with connections[PRIMARY].cursor() as cursor:
            # Where the next record will go: past this transaction's commit even
            # before the log is flushed (with synchronous_commit off).
            cursor.execute("SELECT pg_current_wal_insert_lsn()")
            (position,) = cursor.fetchone()
        with connections[REPLICA].cursor() as cursor:
            while True:
                cursor.execute(CAUGHT_UP_SQL, [position])
                if cursor.fetchone()[0]:
                    return True
                if time.monotonic() >= deadline:
                    logger.warning("replica still behind after a change's wait")
                    return False
                time.sleep(0.005)
    except DatabaseError as exc:
        connections[REPLICA].close()
        logger.warning("replica not waited for: it does not answer (%s)", exc)
        return False


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if reads_may_lag.get() and replica_usable():
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def may_read_from_replica(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and COOKIE not in request.COOKIES
    )


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        token = reads_may_lag.set(may_read_from_replica(request))
        try:
            response = self.get_response(request)
        finally:
            reads_may_lag.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response.set_cookie(
                COOKIE,
                "1",
                max_age=settings.DATELINE_READ_YOUR_WRITES_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
