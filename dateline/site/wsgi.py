import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.site.settings.production")

application = get_wsgi_application()

# What is loaded by now (Django, Wagtail, the apps, the URLconf) lives as long as the
# process: moved out of the collector's sight, it is not walked again by every full
# collection a page view's allocations set off. A cold article view took 8-15 %
# less CPU so (3.9 -> 3.6 ms in one process).
gc.collect()
gc.freeze()
