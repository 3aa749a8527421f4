"""Caching for every part of Dateline: one library package, not a Django app.

``versions`` keeps the numbers that invalidate cached entries (they only ever grow),
``backends`` the shared-cache backend that fails open when Redis is away.
See docs/caching.md.
"""
