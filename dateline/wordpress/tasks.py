"""The import started from the admin, run by ``dateline worker``."""

from pathlib import Path

from django.utils import timezone
from django_tasks import task

from .importer import Importer, Options
from .models import ImportRun
from .report import Progress
from .wxr import WXRError


@task()
def run_wordpress_import(run_id: int) -> str:
    """Import the run's uploaded export; its row tells the admin page how it goes.

    Run again for the same row (a killed worker's task handed back) it imports
    what is left, as the command does.
    """
    run = ImportRun.objects.get(pk=run_id)
    if run.finished:
        return run.status
    ImportRun.objects.filter(pk=run_id).update(status=ImportRun.Status.RUNNING)

    def listener(phase, done, total):
        ImportRun.objects.filter(pk=run_id).update(phase=phase, done=done, total=total)

    importer = Importer(
        Path(run.export.path),
        Options(media_url=run.media_url),
        progress=Progress(stream=None, listener=listener),
    )
    try:
        report = importer.run()
    except WXRError as exc:
        _finish(run_id, ImportRun.Status.FAILED, error=str(exc).split(": ", 1)[-1])
        return ImportRun.Status.FAILED
    _finish(
        run_id, ImportRun.Status.DONE, summary=report.as_dict(), report=report.as_text()
    )
    return ImportRun.Status.DONE


def _finish(run_id, status, **fields):
    run = ImportRun.objects.get(pk=run_id)
    # The export holds readers' e-mail and IP addresses: not kept once read.
    run.export.delete(save=False)
    ImportRun.objects.filter(pk=run_id).update(
        status=status, finished_at=timezone.now(), **fields
    )


@task()
def index_imported_articles(pks: list[int]) -> int:
    """Index a batch of imported articles for search and for Wagtail's reference
    index (where an image is used), as saving each would have; how many.

    Run twice, it writes the same entries again.
    """
    from modelsearch.backends import get_search_backends
    from wagtail.models import ReferenceIndex

    from dateline.newsroom.models import ArticlePage

    articles = list(ArticlePage.objects.filter(pk__in=pks))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(ArticlePage, articles)
    for article in articles:
        ReferenceIndex.create_or_update_for_object(article)
    return len(articles)
