"""The content API at ``/api/v1/``, on Django Ninja: see docs/syndication.md."""
