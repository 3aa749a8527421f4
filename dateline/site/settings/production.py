"""Any deployment, the embedded demo included: DEBUG off and secure defaults.

Refuses to load without a ``SECRET_KEY`` rather than run with a guessable one. The
embedded site's own key (made by ``dateline demo`` in the data directory) counts as one
when no ``DATABASE_URL`` is set; see ``env.secret_key``.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY
from .env import env_bool, env_int

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: refusing to run with DEBUG off and no secret key "
        "(set SECRET_KEY in the environment; see .env.example)"
    )

# Behind TLS (the usual deployment) cookies are secure and plain HTTP is redirected.
# The embedded demo on 127.0.0.1 runs without TLS and sets DATELINE_HTTPS=0.
_HTTPS = env_bool("DATELINE_HTTPS", True)
SECURE_SSL_REDIRECT = _HTTPS
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_HSTS_SECONDS = env_int("DATELINE_HSTS_SECONDS", 31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
# Joining the browsers' preload list is hard to undo, so it is the operator's choice.
SECURE_HSTS_PRELOAD = env_bool("DATELINE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("DATELINE_BEHIND_PROXY", False)
    else None
)
