"""Time the content API's reads: what Django Ninja adds to shaping the same JSON.

What it measures: the latency, p50/p95, of ``GET /api/v1/articles/?page_size=20``
(a list page) and ``GET /api/v1/articles/<id>/`` (one article with its body, images
and corrections), through Django's full request path (middleware, URL routing, the
Ninja operation: query parsing, ETag and Last-Modified, pydantic validation of the
answer against the schema the OpenAPI document is generated from).

The reference, measured in the same process and interleaved with it: plain Django
views making the same reads, with the same serializers, ETag and Last-Modified,
answering with a ``JsonResponse`` (what the hand-written version 1 did), mounted
beside the API so they pass through the same middleware. Each line prints API p50 /
reference p50: the price of Ninja and of validating every answer against its schema.

How: this script sets up Django with the production settings in a temporary data
directory (SQLite), migrates, adds ``--articles`` articles with ``dateline generate``
and times ``--repeats`` requests of each kind in-process with Django's test client.

Run it from the repository root with the project's virtualenv::

    .venv/bin/python benchmarks/api.py [--articles 1000] [--repeats 200]

It takes about a minute.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=200)
    return parser.parse_args()


def setup(data_dir: Path, articles: int) -> None:
    for name in list(os.environ):
        if name.startswith(("DATELINE_", "DATABASE_", "REDIS_", "DJANGO_")):
            del os.environ[name]
    os.environ.update(
        DATELINE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="dateline.site.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATELINE_HTTPS="0",
        DATELINE_PAGE_CACHE="0",
        ALLOWED_HOSTS="localhost,testserver",
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("generate", articles=articles, no_index=True, stdout=quiet)


def conditional(view):
    from django.views.decorators.http import condition

    from dateline.syndication.api import views

    # The API's own validators, so both sides make the same queries for them.
    validators = condition(
        etag_func=views._etag,
        last_modified_func=views._last_modified,
    )
    return validators(view)


def reference_list(request):
    from django.http import JsonResponse

    from dateline.syndication.api import queries, serializers

    page = list(queries.filtered_articles()[:20])
    results = [serializers.article_summary(request, a) for a in page]
    return JsonResponse({"results": results, "next": None})


def reference_detail(request, pk):
    from django.http import JsonResponse

    from dateline.newsroom.models import OutletSettings
    from dateline.syndication.api import queries, serializers

    article = queries.article(pk)
    outlet = OutletSettings.for_request(request)
    return JsonResponse(serializers.article_detail(request, article, outlet.name))


def timed(function) -> float:
    started = time.perf_counter()
    response = function()
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed


def compare(name, api_call, reference_call, repeats) -> None:
    api_call(), reference_call()  # warm: renditions, site and settings caches
    api, reference = [], []
    for _ in range(repeats):
        api.append(timed(api_call))
        reference.append(timed(reference_call))
    a50, r50 = statistics.median(api), statistics.median(reference)
    a95 = statistics.quantiles(api, n=20)[-1]
    r95 = statistics.quantiles(reference, n=20)[-1]
    print(
        f"{name:<16} API p50 {a50 * 1000:6.2f} ms  p95 {a95 * 1000:6.2f} ms | "
        f"reference p50 {r50 * 1000:6.2f} ms  p95 {r95 * 1000:6.2f} ms | "
        f"ratio p50 {a50 / r50:4.2f}"
    )


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="dateline-bench-api-") as tmp:
        setup(Path(tmp), args.articles)
        from django.test import Client
        from django.test.utils import override_settings
        from django.urls import path

        from dateline.newsroom.queries import published_articles
        from dateline.site import urls as site_urls

        module = type(sys)("bench_urls")
        module.urlpatterns = [
            path("reference/articles/", conditional(reference_list)),
            path("reference/articles/<int:pk>/", conditional(reference_detail)),
            *site_urls.urlpatterns,
        ]
        sys.modules["bench_urls"] = module
        client = Client()
        pk = published_articles().order_by("-last_published_at").first().pk
        print(f"{args.articles:,} articles, {args.repeats} requests each, SQLite")
        with override_settings(ROOT_URLCONF="bench_urls"):
            compare(
                "list (20)",
                lambda: client.get("/api/v1/articles/?page_size=20"),
                lambda: client.get("/reference/articles/?page_size=20"),
                args.repeats,
            )
            compare(
                "article detail",
                lambda: client.get(f"/api/v1/articles/{pk}/"),
                lambda: client.get(f"/reference/articles/{pk}/"),
                args.repeats,
            )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
