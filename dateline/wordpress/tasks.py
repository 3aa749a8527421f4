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
