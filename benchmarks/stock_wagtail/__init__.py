"""Dateline served the way Wagtail serves pages out of the box: the reference
``benchmarks/delivery.py`` holds the uncached article view against."""
