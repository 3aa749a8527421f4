"""The application the servers load leaves what it loaded out of the collector's
sight (``gc.freeze``), so full collections do not walk it on every view."""

import subprocess
import sys

import pytest

SCRIPT = (
    "import gc, os\n"
    "os.environ['DJANGO_SETTINGS_MODULE'] = 'dateline.site.settings.test'\n"
    "from dateline.site.{} import application\n"
    "print(gc.get_freeze_count())\n"
)


@pytest.mark.parametrize("module", ["wsgi", "asgi"])
def test_the_loaded_application_is_frozen_for_the_collector(module):
    script = SCRIPT.format(module)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip().splitlines()[-1]) > 10_000
