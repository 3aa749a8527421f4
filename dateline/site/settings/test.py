"""The test suite: production-like (DEBUG off), fast hashing, mail kept in memory.

``DATABASE_URL`` and ``REDIS_URL`` pick PostgreSQL and Redis exactly as in production.
"""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import REDIS_URL
from .env import env_str

SECRET_KEY = env_str("SECRET_KEY", "test-only-key-not-for-any-deployment")  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="dateline-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="dateline-test-static-"))
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "dateline.caching.backends.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "dateline-test",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dateline-test",
        }
    }
CACHES["renditions"] = RENDITIONS_CACHE  # noqa: F405

# Live-server threads must not keep connections open past a test, or PostgreSQL cannot
# drop the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Most tests change rows directly and look at the page again; the tests of the page
# cache itself switch it on (dateline/site/tests/test_caching.py).
DATELINE_PAGE_CACHE = False
DATELINE_FRAGMENT_CACHE = False
