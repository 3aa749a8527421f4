"""Settings shared by every way Dateline runs.

Values that differ between machines come from the environment through ``env.py``;
``dev.py``, ``test.py`` and ``production.py`` only adjust what differs by purpose.
"""

from pathlib import Path

from .env import (
    data_dir,
    database_config,
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_str,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = data_dir()

DEBUG = False
SECRET_KEY = secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "dateline.newsroom",
    "dateline.comments",
    "dateline.ads",
    "dateline.syndication",
    "dateline.search",
    "dateline.demo",
    "dateline.worker",
    "dateline.wordpress",
    "dateline.live",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # A load balancer's probe: answered before anything that could touch a store.
    "dateline.site.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the database: may this request read from the replica?
    "dateline.site.replicas.ReplicaReadsMiddleware",
    # Around everything that reads the content version, the page cache first.
    "dateline.site.memo.RequestMemoMiddleware",
    # Outside the page cache: a proxy's revalidation of a page not stored yet gets
    # the page stored, then its 304.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A stored page is answered here, past only what every response needs. What the
    # middleware below adds to a page (X-Frame-Options, the CSP, Vary) is stored
    # with it; a reader's session, CSRF token and messages are never in a stored page.
    "dateline.site.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's middleware, widened only for an ad network an operator turns on.
    "dateline.ads.csp.ContentSecurityPolicyMiddleware",
    # Before anything that looks the address or a parameter up in the database.
    "dateline.site.unstorable.UnstorableInputMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # WordPress's /?p=123 addresses reach the home page, not a 404.
    "dateline.wordpress.middleware.WordPressQueryRedirectMiddleware",
    # Only what the page cache did not answer needs to know its site.
    "dateline.site.sites.CachedSiteMiddleware",
    "dateline.site.unavailable.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "dateline.site.urls"
WSGI_APPLICATION = "dateline.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
    {
        # The parts of a page rendered on every view (newsroom/jinja.py), from each
        # app's jinja2/ folder; the pages themselves are Django templates.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "dateline.newsroom.jinja.environment"},
    },
]

DATABASES = {"default": database_config(DATA_DIR / "dateline.sqlite3")}
if env_str("DATABASE_REPLICA_URL"):
    # A PostgreSQL streaming replica for anonymous page reads (site/replicas.py).
    DATABASES["replica"] = database_config(
        DATA_DIR / "dateline.sqlite3", env_name="DATABASE_REPLICA_URL"
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["dateline.site.replicas.ReplicaRouter"]
    # A change's caches are retired once the replica has applied it (site/replicas.py).
    DATELINE_CACHE_RETIRE_AFTER = "dateline.site.replicas.catch_up"
# Seconds of replay lag past which the replica is left alone, how often each process
# asks, and how long a reader who wrote reads from the primary.
DATELINE_REPLICA_MAX_LAG = env_int("DATELINE_REPLICA_MAX_LAG", 5)
DATELINE_REPLICA_PROBE_SECONDS = env_int("DATELINE_REPLICA_PROBE_SECONDS", 2)
DATELINE_READ_YOUR_WRITES_SECONDS = env_int("DATELINE_READ_YOUR_WRITES_SECONDS", 15)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Django's RedisCache, failing open: pages are built without it while Redis is
    # away (docs/caching.md).
    CACHES = {
        "default": {
            "BACKEND": "dateline.caching.backends.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "dateline"),
        }
    }
else:
    # SQLite files shared by every process on the machine, unlike local memory
    # (dateline.caching.backends.EmbeddedCache). Entries expire, and the oldest
    # stored go when it is full; the versions that retire them never go back when
    # that happens to them (dateline.caching.versions).
    CACHES = {
        "default": {
            "BACKEND": "dateline.caching.backends.EmbeddedCache",
            "LOCATION": str(DATA_DIR / "shared-cache"),
            "OPTIONS": {"size_limit": env_int("DATELINE_CACHE_MB", 1024) * 2**20},
        }
    }
# Image renditions, in the same store, read without being written back on every view
# (dateline.caching.renditions).
RENDITIONS_CACHE = {
    "BACKEND": "dateline.caching.renditions.RenditionCache",
    "OPTIONS": {"CACHE": "default"},
}
CACHES["renditions"] = RENDITIONS_CACHE

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("DATELINE_LANGUAGE", "en")
LANGUAGES = [
    ("en", "English"),
    ("ur", "Urdu"),
    ("ar", "Arabic"),
]
TIME_ZONE = env_str("DATELINE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "site" / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise.
WHITENOISE_ROOT = PACKAGE_DIR / "site" / "public"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DATELINE_MEDIA_ROOT", str(DATA_DIR / "media")))
# WordPress exports uploaded in the admin, until the worker has read them; never
# public (they hold commenters' e-mail and IP addresses).
DATELINE_WORDPRESS_UPLOAD_DIR = Path(
    env_str("DATELINE_WORDPRESS_UPLOAD_DIR") or DATA_DIR / "wordpress-imports"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# The embedded default has no separate web server for uploads, so Django serves them.
# A production deployment with a proxy or object storage turns this off.
DATELINE_SERVE_MEDIA = env_bool("DATELINE_SERVE_MEDIA", True)

# Every e-mail is queued for the worker, which sends it with the delivery backend:
# a mail server that is away never fails a request (dateline/worker/mail.py).
EMAIL_BACKEND = "dateline.worker.mail.QueuedEmailBackend"
DATELINE_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "newsroom@localhost")

WAGTAIL_SITE_NAME = env_str("DATELINE_SITE_NAME", "Dateline")
WAGTAILADMIN_BASE_URL = env_str("DATELINE_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# Wagtail's database backend, with the title norm kept per item (docs/search.md).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "dateline.search.backends"}}
# No oEmbed calls to third parties; see dateline.newsroom.blocks.EmbedBlock.
WAGTAILEMBEDS_FINDERS = []
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "webp", "bmp": "png", "gif": "gif"}
TAGGIT_CASE_INSENSITIVE = True

# Security headers. Public pages run no inline script or style; the Wagtail admin needs
# both, so it is left out of the policy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        # No page sets a <base>: none may, so injected markup cannot redirect its links.
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_str("DATELINE_LOG_LEVEL", "WARNING"),
    },
}

# Newsroom settings (defaults and meaning in each app's conf.py).
DATELINE_READING_WPM = env_int("DATELINE_READING_WPM", 200)
DATELINE_COMMENTS_RATE_PER_IP = env_rate("DATELINE_COMMENTS_RATE_PER_IP", "5/60")
DATELINE_COMMENTS_RATE_PER_EMAIL = env_rate(
    "DATELINE_COMMENTS_RATE_PER_EMAIL", "10/3600"
)
DATELINE_COMMENTS_MIN_SECONDS = env_int("DATELINE_COMMENTS_MIN_SECONDS", 3)
DATELINE_COMMENTS_IP_RETENTION_DAYS = env_int("DATELINE_COMMENTS_IP_RETENTION_DAYS", 30)
DATELINE_AKISMET_KEY = env_str("DATELINE_AKISMET_KEY")
DATELINE_SCHEDULER_INTERVAL = env_int("DATELINE_SCHEDULER_INTERVAL", 15)
DATELINE_API_WRITE_RATE = env_rate("DATELINE_API_WRITE_RATE", "60/60")

# Background work: Django's task framework. The database queue (django-tasks-db) needs
# no server of its own and is run by ``dateline worker``; an outlet that outgrows it
# names another engine's backend here (docs/operations.md, "Background work").
TASKS = {
    "default": {
        "BACKEND": env_str(
            "DATELINE_TASKS_BACKEND", "dateline.worker.backends.DatabaseBackend"
        ),
    }
}
DATELINE_WORKER_STALE_AFTER = env_int("DATELINE_WORKER_STALE_AFTER", 60)
DATELINE_TASKS_RETRY_SECONDS = env_int("DATELINE_TASKS_RETRY_SECONDS", 60)

# Caching: the in-app page cache and the headers shared caches read.
DATELINE_PAGE_CACHE = env_bool("DATELINE_PAGE_CACHE", True)
DATELINE_FRAGMENT_CACHE = env_bool("DATELINE_FRAGMENT_CACHE", True)
# Pages and fragments are retired by cache tag; 0 retires everything on any change
# (one site-wide version), kept to measure against (benchmarks/cache_mix.py).
DATELINE_CACHE_TAGS = env_bool("DATELINE_CACHE_TAGS", True)
DATELINE_PAGE_CACHE_SECONDS = env_int("DATELINE_PAGE_CACHE_SECONDS", 600)
DATELINE_BROWSER_MAX_AGE = env_int("DATELINE_BROWSER_MAX_AGE", 60)
DATELINE_PROXY_MAX_AGE = env_int("DATELINE_PROXY_MAX_AGE", 300)
# Seconds after a change at which its caches are retired a second time (0: never):
# a page whose build had read the old rows before the change committed, and was
# stored after the first retirement, goes then (docs/caching.md).
DATELINE_PROXY_REPURGE_SECONDS = env_int("DATELINE_PROXY_REPURGE_SECONDS", 3)
if env_list("DATELINE_PROXY_PURGE_URL"):
    # The caching proxies in front (deploy/varnish), one or several (comma-separated):
    # one PURGE naming the cache tags (Varnish's xkey vmod), or with
    # DATELINE_PROXY_XKEY=0 Wagtail's PURGE of each address the tags stand for (nginx
    # and other proxies). Every proxy is told; docs/caching.md.
    _purge_urls = env_list("DATELINE_PROXY_PURGE_URL")
    WAGTAILFRONTENDCACHE = {
        ("proxy" if len(_purge_urls) == 1 else f"proxy-{number}"): {
            "BACKEND": (
                "dateline.caching.proxy.XkeyBackend"
                if env_bool("DATELINE_PROXY_XKEY", True)
                else "wagtail.contrib.frontend_cache.backends.HTTPBackend"
            ),
            "LOCATION": url,
        }
        for number, url in enumerate(_purge_urls, start=1)
    }
