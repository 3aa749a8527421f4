"""The default backend: everything queued for the worker, Wagtail's own tasks too,
except the proxy purge, which readers must not wait for."""

import pytest
from django_tasks_db.models import DBTaskResult
from wagtail.models import ReferenceIndex

from dateline.testing.factories import make_article
from dateline.testing.tasks import run_tasks

pytestmark = pytest.mark.django_db


def test_wagtails_own_tasks_are_queued_and_the_worker_runs_them():
    article = make_article(title="Referenced")
    queued = DBTaskResult.objects.filter(task_path__endswith="reference_index_task")
    assert queued.filter(status="READY").exists()
    assert not ReferenceIndex.get_references_for_object(article).exists()
    run_tasks()
    assert not queued.exclude(status="SUCCESSFUL").exists()
    assert ReferenceIndex.get_references_for_object(article).exists()


def test_the_proxy_purge_is_not_queued(settings):
    from wagtail.contrib.frontend_cache.utils import purge_url_from_cache

    settings.WAGTAILFRONTENDCACHE = {}
    purge_url_from_cache("http://localhost/news/")
    assert not DBTaskResult.objects.filter(task_path__contains="purge").exists()
