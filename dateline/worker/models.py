from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A running ``dateline worker`` says it is alive; a task whose worker stopped
    saying so (killed, machine lost) goes back to the queue (``queue.py``)."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    seen_at = models.DateTimeField(_("last seen"))
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True)

    class Meta:
        verbose_name = _("worker heartbeat")

    def __str__(self):
        return f"{self.worker_id} ({self.host}:{self.pid})"


class DoneOnce(models.Model):
    """An effect that must happen once although a task may run more than once: a
    periodic job's time slot taken, an e-mail handed to the mail server."""

    key = models.CharField(_("key"), max_length=255, unique=True)
    done_at = models.DateTimeField(_("done at"), db_index=True)

    class Meta:
        verbose_name = _("effect done once")
        verbose_name_plural = _("effects done once")

    def __str__(self):
        return self.key
