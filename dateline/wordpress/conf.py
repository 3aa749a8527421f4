"""Import settings, read when used."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def upload_dir() -> Path:
    """Where exports uploaded in the admin wait for the worker. Never under the
    public media folder: an export holds commenters' e-mail and IP addresses."""
    default = Path(settings.MEDIA_ROOT).parent / "wordpress-imports"
    return Path(getattr(settings, "DATELINE_WORDPRESS_UPLOAD_DIR", None) or default)


def private_storage():
    return FileSystemStorage(location=upload_dir(), base_url=None)
