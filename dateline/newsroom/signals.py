"""What the newsroom tells the apps above it about changes that no Wagtail signal
carries."""

from django.dispatch import Signal

# Stories were written around Wagtail's publish (``dateline generate``, an import):
# no ``page_published`` was sent for them. Receivers recount what they keep of the
# archive; each may return a line for the command's output, or None.
articles_written_in_bulk = Signal()

# ``articles``: live stories whose embargo ended since the last look; readers see
# them from now on, though nothing was published.
embargoes_lifted = Signal()
