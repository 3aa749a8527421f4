"""The read-only content API, version 1, at ``/api/v1/``: see docs/syndication.md."""
