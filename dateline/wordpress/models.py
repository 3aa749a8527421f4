"""What an import remembers: which WordPress item became which object, and runs
started from the admin."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .conf import private_storage


class ImportedItem(models.Model):
    """One WordPress item and the object it became.

    The key is the export's site address, the kind and WordPress's own id (a login
    for authors, a slug for terms), so running the same export again finds what it
    made before, and ``checksum`` tells whether the item changed since.
    """

    source = models.CharField(_("WordPress site"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20)
    key = models.CharField(_("WordPress id"), max_length=200)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.BigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    checksum = models.CharField(max_length=64, blank=True)
    # What later phases need without reading the export again: the old address,
    # a caption, the parent's id.
    data = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "key"], name="one_import_per_wp_item"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("imported WordPress item")

    def __str__(self):
        return f"{self.kind} {self.key} from {self.source}"


class ImportRun(models.Model):
    """An import started from the admin, run by the worker; the page polls it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    export = models.FileField(_("export file"), storage=private_storage, upload_to="")
    media_url = models.URLField(_("old site's uploads address"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    phase = models.CharField(max_length=20, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    report = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("WordPress import")
        permissions = [("run_import", _("Can import from WordPress"))]

    def __str__(self):
        return f"{self.export.name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
