"""The task backend Dateline configures by default (``TASKS`` in settings)."""

from .database import DatabaseBackend

__all__ = ["DatabaseBackend"]
