import pytest
from wagtail.models import Site

from dateline.newsroom.models import OutletSettings


@pytest.fixture
def outlet(db):
    outlet = OutletSettings.for_site(Site.objects.get(is_default_site=True))
    outlet.name = "The Dateline Gazette"
    outlet.tagline = "Independent reporting"
    outlet.save()
    return outlet
