import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.site.settings.production")

application = get_asgi_application()

# As wsgi.py does: what is loaded by now is left out of the collector's walks.
gc.collect()
gc.freeze()
